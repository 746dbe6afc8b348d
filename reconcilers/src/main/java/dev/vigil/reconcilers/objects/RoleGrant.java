package dev.vigil.reconcilers.objects;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.util.Map;

/** A RoleBinding that grants a Role of its namespace to one ServiceAccount of that namespace. */
public final class RoleGrant {
  private RoleGrant() {}

  /**
   * @param name the binding's name, which is also the Role's
   * @param namespace where the binding, the Role and the ServiceAccount are
   * @param labels the binding's labels
   * @param serviceAccount the only subject
   */
  public static RoleBinding of(
      String name, String namespace, Map<String, String> labels, String serviceAccount) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("Role")
        .withName(name)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(serviceAccount)
        .withNamespace(namespace)
        .endSubject()
        .build();
  }
}
