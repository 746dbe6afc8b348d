package dev.vigil.reconcilers.dependents;

import dev.vigil.reconcilers.digest.Sha256;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Access across the cluster for a workload Vigil runs for a namespaced object: a ClusterRole and
 * the ClusterRoleBinding that grants it to the workload's ServiceAccount only. Both are named
 * {@link #name(String, String)}, unique across the cluster, and carry the same labels (plus the
 * ServiceAccount's namespace in {@link #NAMESPACE_LABEL}) and annotations. {@link
 * ClusterRoleDependent} and {@link ClusterRoleBindingDependent} make them.
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

  /** The namespace of the ServiceAccount the access is for, which a cluster-scoped object lacks. */
  public static final String NAMESPACE_LABEL = "monitoring.vigil.dev/namespace";

  /** The longest name Kubernetes stores (a DNS subdomain's length). */
  static final int MAX_NAME = 253;

  /**
   * {@code vigil-<namespace>-<serviceAccount>-<hash>}: the hash, 10 hex digits of the SHA-256 of
   * {@code <namespace>/<serviceAccount>}, keeps two pairs apart whose dashes line up (namespace
   * {@code a-b} with {@code c} and namespace {@code a} with {@code b-c}); the readable part is cut
   * when the whole would be longer than Kubernetes allows.
   */
  public static String name(String namespace, String serviceAccount) {
    String hash = "-" + Sha256.hex(namespace + "/" + serviceAccount).substring(0, 10);
    String readable = legacyName(namespace, serviceAccount);
    return readable.substring(0, Math.min(readable.length(), MAX_NAME - hash.length())) + hash;
  }

  /**
   * {@code vigil-<namespace>-<serviceAccount>}, the name Vigil gave both objects before 0.2, which
   * two pairs could share. {@link ClusterRoleBindingDependent} removes those objects when they are
   * this pair's.
   */
  public static String legacyName(String namespace, String serviceAccount) {
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

  /** The legacy name of this pair's objects. */
  public String legacyName() {
    return legacyName(namespace, serviceAccount);
  }

  /** Whether a binding grants its role to this access's ServiceAccount and to nobody else. */
  public boolean grantsOnlyToThisAccount(ClusterRoleBinding binding) {
    return binding.getSubjects() != null
        && binding.getSubjects().size() == 1
        && "ServiceAccount".equals(binding.getSubjects().get(0).getKind())
        && serviceAccount.equals(binding.getSubjects().get(0).getName())
        && namespace.equals(binding.getSubjects().get(0).getNamespace());
  }

  private ObjectMeta metadata() {
    Map<String, String> withNamespace = new TreeMap<>(labels);
    withNamespace.put(NAMESPACE_LABEL, namespace);
    return new ObjectMetaBuilder()
        .withName(name())
        .withLabels(withNamespace)
        .withAnnotations(annotations)
        .build();
  }
}
