package dev.vigil.reconcilers.selection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.discovery.NamespaceSelection;
import dev.vigil.reconcilers.discovery.TrimmedObjects;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespaces opting in to platform stacks (docs/tenancy.md, --namespace-opt-in). */
class MonitorSelectionTest {
  static final Tenancy OPT_IN = new Tenancy(List.of("monitoring"), false, true);
  static final Tenancy ALLOW_ALL = new Tenancy(List.of("monitoring"), false, false);

  final InMemoryClusterSnapshot snapshot =
      new InMemoryClusterSnapshot()
          .putAll(
              List.of(
                  namespace("monitoring", null),
                  namespace("shop", "monitoring/platform"),
                  namespace("payments", " monitoring/other , monitoring/platform"),
                  namespace("batch", "*"),
                  namespace("ledger", "monitoring/other"),
                  namespace("quiet", null)));

  @Test
  void withOptInAPlatformStackSelectsItsOwnNamespaceAndThoseNamingIt() {
    MonitorSelection selection = MonitorSelection.of(everywhere(), stack("platform"), OPT_IN);

    assertThat(selection.namespaces().candidates(snapshot))
        .containsExactly("batch", "monitoring", "payments", "shop");
    assertThat(selection.selects(object("ledger"), snapshot)).isFalse();
    assertThat(selection.selects(object("shop"), snapshot)).isTrue();
    assertThat(selection.selects(object("monitoring"), snapshot)).isTrue();
  }

  @Test
  void anotherPlatformStackSeesOnlyTheNamespacesNamingIt() {
    MonitorSelection selection = MonitorSelection.of(everywhere(), stack("other"), OPT_IN);

    assertThat(selection.namespaces().candidates(snapshot))
        .containsExactly("batch", "ledger", "monitoring", "payments");
  }

  @Test
  void withoutOptInThePlatformStackSelectsWhereItsSelectorSays() {
    MonitorSelection selection = MonitorSelection.of(everywhere(), stack("platform"), ALLOW_ALL);

    assertThat(selection.namespaces()).isInstanceOf(NamespaceSelection.All.class);
    assertThat(selection.selects(object("quiet"), snapshot)).isTrue();
  }

  @Test
  void theOptInAnnotationSurvivesTrimmingAndNoOtherAnnotationDoes() {
    Namespace full =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName("shop")
            .addToAnnotations(NamespaceSelection.OptedIn.SELECTABLE_BY, "monitoring/platform")
            .addToAnnotations("kubectl.kubernetes.io/last-applied", "x".repeat(500))
            .endMetadata()
            .build();

    assertThat(TrimmedObjects.namespace(full).getMetadata().getAnnotations())
        .containsExactly(Map.entry("monitoring.vigil.dev/selectable-by", "monitoring/platform"));
  }

  static ResourceSelector everywhere() {
    ResourceSelector selector = new ResourceSelector();
    selector.namespaceSelector = new LabelSelector();
    return selector;
  }

  static MonitoringStack stack(String name) {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    return stack;
  }

  static Namespace namespace(String name, String selectableBy) {
    NamespaceBuilder builder =
        new NamespaceBuilder().withNewMetadata().withName(name).endMetadata();
    if (selectableBy != null) {
      builder
          .editMetadata()
          .addToAnnotations(NamespaceSelection.OptedIn.SELECTABLE_BY, selectableBy)
          .endMetadata();
    }
    return TrimmedObjects.namespace(builder.build());
  }

  static ConfigMap object(String namespace) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("x")
        .withNamespace(namespace)
        .endMetadata()
        .build();
  }
}
