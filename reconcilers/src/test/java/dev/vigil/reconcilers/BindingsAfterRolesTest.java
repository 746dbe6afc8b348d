package dev.vigil.reconcilers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.monitoringstack.MonitoringStackReconciler;
import dev.vigil.reconcilers.tracingpipeline.TracingPipelineReconciler;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API server refuses (404) a RoleBinding or ClusterRoleBinding whose role does not exist yet
 * when the writer may not {@code bind} it (its escalation check reads the role): a workflow that
 * made both side by side failed a new stack's first reconcile and waited for a retry (seen in the
 * scale harness). Every binding a workflow makes depends on the role it makes.
 */
class BindingsAfterRolesTest {
  static final Map<Class<?>, Class<?>> ROLE_OF_BINDING =
      Map.of(RoleBinding.class, Role.class, ClusterRoleBinding.class, ClusterRole.class);

  @ParameterizedTest
  @ValueSource(classes = {MonitoringStackReconciler.class, TracingPipelineReconciler.class})
  void everyBindingDependsOnItsRole(Class<?> reconciler) {
    List<Dependent> dependents =
        Arrays.asList(reconciler.getAnnotation(Workflow.class).dependents());
    List<Dependent> bindings =
        dependents.stream().filter(d -> ROLE_OF_BINDING.containsKey(resourceOf(d))).toList();
    assertThat(bindings).isNotEmpty();
    for (Dependent binding : bindings) {
      Class<?> roleType = ROLE_OF_BINDING.get(resourceOf(binding));
      // A workflow may make several roles of a kind: the binding's is the one it depends on.
      List<Dependent> roles =
          dependents.stream()
              .filter(d -> resourceOf(d) == roleType)
              .filter(d -> Arrays.asList(binding.dependsOn()).contains(d.name()))
              .toList();
      assertThat(roles).as("the role of %s", binding.type().getSimpleName()).hasSize(1);
      assertThat(roles.get(0).name())
          .as("name of %s", roles.get(0).type().getSimpleName())
          .isNotEmpty();
      assertThat(binding.dependsOn())
          .as(
              "%s depends on %s",
              binding.type().getSimpleName(), roles.get(0).type().getSimpleName())
          .contains(roles.get(0).name());
    }
  }

  /**
   * The Kubernetes kind a dependent class manages, as JOSDK reads it: a base class such as {@code
   * ClusterRoleDependent} may fix it for its subclasses.
   */
  static Class<?> resourceOf(Dependent dependent) {
    try {
      return dependent.type().getDeclaredConstructor().newInstance().resourceType();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(dependent.type() + " has no public no-argument constructor", e);
    }
  }
}
