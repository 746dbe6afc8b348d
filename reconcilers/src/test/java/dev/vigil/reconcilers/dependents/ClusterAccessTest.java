package dev.vigil.reconcilers.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The role and binding of a workload's cluster-wide access: one name, same metadata, one grant. */
class ClusterAccessTest {
  static final PolicyRule READ_PODS =
      new PolicyRuleBuilder()
          .withApiGroups("")
          .withResources("pods")
          .withVerbs("get", "list", "watch")
          .build();

  @Test
  void roleAndBindingShareNameAndMetadata() {
    ClusterAccess access =
        new ClusterAccess(
            "shop",
            "traces-collector",
            Map.of("app.kubernetes.io/instance", "traces"),
            Map.of("monitoring.vigil.dev/pipeline", "shop/traces"));
    assertThat(access.name()).isEqualTo("vigil-shop-traces-collector");

    ClusterRole role = access.role(List.of(READ_PODS));
    assertThat(role.getMetadata().getName()).isEqualTo("vigil-shop-traces-collector");
    assertThat(role.getMetadata().getNamespace()).isNull();
    assertThat(role.getMetadata().getLabels())
        .containsExactly(Map.entry("app.kubernetes.io/instance", "traces"));
    assertThat(role.getMetadata().getAnnotations())
        .containsExactly(Map.entry("monitoring.vigil.dev/pipeline", "shop/traces"));
    assertThat(role.getRules()).containsExactly(READ_PODS);

    ClusterRoleBinding binding = access.binding();
    assertThat(binding.getMetadata()).isEqualTo(role.getMetadata());
    assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo("vigil-shop-traces-collector");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("ServiceAccount");
              assertThat(subject.getName()).isEqualTo("traces-collector");
              assertThat(subject.getNamespace()).isEqualTo("shop");
            });
  }

  @Test
  void noAnnotationsWhenThereAreNone() {
    // An empty map is left out when the object is written: no field to apply.
    ClusterAccess access =
        new ClusterAccess("monitoring", "platform-kube-state-metrics", Map.of(), Map.of());
    assertThat(access.role(List.of()).getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(access.binding().getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(Serialization.asYaml(access.binding())).doesNotContain("annotations");
  }
}
