package dev.vigil.reconcilers.dependents;

import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ClusterRoleBinding of a {@link ClusterAccess}: grants its role to its ServiceAccount only.
 * Cluster-scoped and found by name alone, as {@link ClusterRoleDependent}; a workflow must make it
 * after the role, since the API server refuses a binding to a role that does not exist yet.
 *
 * <p>The first time it reconciles or deletes an access it removes the pair Vigil made under the
 * access's {@link ClusterAccess#legacyName legacy name}, when that binding grants to this access's
 * ServiceAccount alone, so an upgrade leaves no grant behind that no object would delete.
 */
public abstract class ClusterRoleBindingDependent<P extends HasMetadata>
    extends CRUDNoGCKubernetesDependentResource<ClusterRoleBinding, P> {

  protected ClusterRoleBindingDependent() {
    super(ClusterRoleBinding.class);
  }

  /** The accesses whose legacy pair this process has removed or found absent. */
  private final Set<String> legacyChecked = ConcurrentHashMap.newKeySet();

  /** Whose access: the same as the role's. */
  protected abstract ClusterAccess access(P primary, Context<P> context);

  @Override
  protected ResourceID targetSecondaryResourceID(P primary, Context<P> context) {
    return new ResourceID(access(primary, context).name(), null);
  }

  @Override
  public ReconcileResult<ClusterRoleBinding> reconcile(P primary, Context<P> context) {
    removeLegacyPairOnce(access(primary, context), context.getClient());
    return super.reconcile(primary, context);
  }

  /** Also when the access is no longer wanted (a stack turned into a tenant's, or deleted). */
  @Override
  public void delete(P primary, Context<P> context) {
    removeLegacyPairOnce(access(primary, context), context.getClient());
    super.delete(primary, context);
  }

  private void removeLegacyPairOnce(ClusterAccess access, KubernetesClient client) {
    if (!legacyChecked.contains(access.name())) {
      removeLegacyPair(access, client);
      legacyChecked.add(access.name());
    }
  }

  static void removeLegacyPair(ClusterAccess access, KubernetesClient client) {
    String legacy = access.legacyName();
    ClusterRoleBinding binding = client.rbac().clusterRoleBindings().withName(legacy).get();
    if (binding == null || !madeByVigil(binding) || !access.grantsOnlyToThisAccount(binding)) {
      return;
    }
    client.rbac().clusterRoleBindings().withName(legacy).delete();
    ClusterRole role = client.rbac().clusterRoles().withName(legacy).get();
    if (role != null && madeByVigil(role)) {
      client.rbac().clusterRoles().withName(legacy).delete();
    }
  }

  private static boolean madeByVigil(HasMetadata object) {
    return object.getMetadata().getLabels() != null
        && StackLabels.VIGIL.equals(object.getMetadata().getLabels().get(StackLabels.MANAGED_BY));
  }

  @Override
  protected ClusterRoleBinding desired(P primary, Context<P> context) {
    return access(primary, context).binding();
  }
}
