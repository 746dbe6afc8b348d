package dev.vigil.reconcilers.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The ClusterRoleBinding of a {@link ClusterAccess}: grants its role to its ServiceAccount only.
 * Cluster-scoped and found by name alone, as {@link ClusterRoleDependent}; a workflow must make it
 * after the role, since the API server refuses a binding to a role that does not exist yet.
 */
public abstract class ClusterRoleBindingDependent<P extends HasMetadata>
    extends CRUDNoGCKubernetesDependentResource<ClusterRoleBinding, P> {

  protected ClusterRoleBindingDependent() {
    super(ClusterRoleBinding.class);
  }

  /** Whose access: the same as the role's. */
  protected abstract ClusterAccess access(P primary);

  @Override
  protected ResourceID targetSecondaryResourceID(P primary, Context<P> context) {
    return new ResourceID(access(primary).name(), null);
  }

  @Override
  protected ClusterRoleBinding desired(P primary, Context<P> context) {
    return access(primary).binding();
  }
}
