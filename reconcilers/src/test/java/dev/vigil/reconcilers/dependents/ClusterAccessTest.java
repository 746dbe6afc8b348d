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
    assertThat(access.name()).isEqualTo("vigil-shop-traces-collector-dba690e27b");

    ClusterRole role = access.role(List.of(READ_PODS));
    assertThat(role.getMetadata().getName()).isEqualTo("vigil-shop-traces-collector-dba690e27b");
    assertThat(role.getMetadata().getNamespace()).isNull();
    assertThat(role.getMetadata().getLabels())
        .containsExactly(
            Map.entry("app.kubernetes.io/instance", "traces"),
            Map.entry("monitoring.vigil.dev/namespace", "shop"));
    assertThat(role.getMetadata().getAnnotations())
        .containsExactly(Map.entry("monitoring.vigil.dev/pipeline", "shop/traces"));
    assertThat(role.getRules()).containsExactly(READ_PODS);

    ClusterRoleBinding binding = access.binding();
    assertThat(binding.getMetadata()).isEqualTo(role.getMetadata());
    assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo("vigil-shop-traces-collector-dba690e27b");
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
  void pairsWhoseDashesLineUpGetTwoNames() {
    // Before 0.2 both were vigil-a-b-c-kube-state-metrics: one took over the other's binding.
    assertThat(ClusterAccess.name("a-b", "c-kube-state-metrics"))
        .isEqualTo("vigil-a-b-c-kube-state-metrics-fc6e9dafa8");
    assertThat(ClusterAccess.name("a", "b-c-kube-state-metrics"))
        .isEqualTo("vigil-a-b-c-kube-state-metrics-69fb12ffae");
    assertThat(ClusterAccess.legacyName("a-b", "c-kube-state-metrics"))
        .isEqualTo(ClusterAccess.legacyName("a", "b-c-kube-state-metrics"));
  }

  @Test
  void theLongestPairStillHasAValidNameEndingInItsHash() {
    String namespace = "n".repeat(63);
    String serviceAccount = "s".repeat(253);
    String name = ClusterAccess.name(namespace, serviceAccount);
    assertThat(name).hasSize(253).startsWith("vigil-nnn").matches(".*-[0-9a-f]{10}");
    assertThat(ClusterAccess.name(namespace, serviceAccount.substring(1))).isNotEqualTo(name);
  }

  @Test
  void onlyABindingToThisServiceAccountAloneIsThisAccesssOwn() {
    ClusterAccess access = new ClusterAccess("a-b", "c-kube-state-metrics", Map.of(), Map.of());
    ClusterAccess other = new ClusterAccess("a", "b-c-kube-state-metrics", Map.of(), Map.of());
    assertThat(access.grantsOnlyToThisAccount(access.binding())).isTrue();
    assertThat(access.grantsOnlyToThisAccount(other.binding())).isFalse();
    ClusterRoleBinding two = access.binding();
    two.getSubjects().add(other.binding().getSubjects().get(0));
    assertThat(access.grantsOnlyToThisAccount(two)).isFalse();
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
