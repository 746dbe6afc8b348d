package dev.vigil.reconcilers.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * The ClusterRole of a {@link ClusterAccess}. Cluster-scoped, so it cannot be owned by the
 * namespaced object it is made for: it is found by name alone, which {@link #access} computes
 * without the reconcile's plan, and the object's reconciler deletes it in its cleanup. A subclass
 * says whose access it is and what the role allows; its {@code @KubernetesDependent} informer must
 * watch all namespaces, or it would never see the object it made and create it again and again.
 */
public abstract class ClusterRoleDependent<P extends HasMetadata>
    extends CRUDNoGCKubernetesDependentResource<ClusterRole, P> {

  protected ClusterRoleDependent() {
    super(ClusterRole.class);
  }

  /** Whose access, by which name and labels: the same for the role and its binding. */
  protected abstract ClusterAccess access(P primary, Context<P> context);

  /** What the role allows. */
  protected abstract List<PolicyRule> rules(P primary, Context<P> context);

  @Override
  protected ResourceID targetSecondaryResourceID(P primary, Context<P> context) {
    return new ResourceID(access(primary, context).name(), null);
  }

  @Override
  protected ClusterRole desired(P primary, Context<P> context) {
    return access(primary, context).role(rules(primary, context));
  }
}
