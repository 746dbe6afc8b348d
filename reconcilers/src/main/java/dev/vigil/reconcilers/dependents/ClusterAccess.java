package dev.vigil.reconcilers.dependents;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;

/**
 * Access across the cluster for a workload Vigil runs for a namespaced object: a ClusterRole and
 * the ClusterRoleBinding that grants it to the workload's ServiceAccount only. Both are named
 * {@link #name(String, String)}, unique across the cluster, and carry the same labels and
 * annotations. {@link ClusterRoleDependent} and {@link ClusterRoleBindingDependent} make them.
 *
 * @param namespace the object's: where the ServiceAccount is
 * @param serviceAccount the workload's ServiceAccount
 * @param labels the labels of both objects
 * @param annotations the annotations of both objects
 */
public record ClusterAccess(
    String namespace,
    String serviceAccount,
    Map<String, String> labels,
    Map<String, String> annotations) {

  /** {@code vigil-<namespace>-<serviceAccount>}. */
  public static String name(String namespace, String serviceAccount) {
    return "vigil-" + namespace + "-" + serviceAccount;
  }

  /** The name of the role and of its binding. */
  public String name() {
    return name(namespace, serviceAccount);
  }

  /** The ClusterRole allowing {@code rules}. */
  public ClusterRole role(List<PolicyRule> rules) {
    return new ClusterRoleBuilder().withMetadata(metadata()).withRules(rules).build();
  }

  /** The ClusterRoleBinding granting the role to the ServiceAccount. */
  public ClusterRoleBinding binding() {
    return new ClusterRoleBindingBuilder()
        .withMetadata(metadata())
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(name())
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(serviceAccount)
        .withNamespace(namespace)
        .endSubject()
        .build();
  }

  private ObjectMeta metadata() {
    return new ObjectMetaBuilder()
        .withName(name())
        .withLabels(labels)
        .withAnnotations(annotations)
        .build();
  }
}
