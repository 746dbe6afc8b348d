package dev.vigil.reconcilers.discovery;

/**
 * A Kubernetes object by kind, namespace and name: what a change applies to, and what a computed
 * group depends on. Cluster-scoped objects have namespace {@code ""}.
 *
 * @param kind the kind
 * @param namespace the namespace, {@code ""} for Namespaces and Nodes
 * @param name the name
 */
public record ObjectRef(Kind kind, String namespace, String name) {
  /** The kinds discovery reads. */
  public enum Kind {
    NAMESPACE,
    NODE,
    SERVICE,
    ENDPOINT_SLICE,
    POD
  }

  public static ObjectRef namespace(String name) {
    return new ObjectRef(Kind.NAMESPACE, "", name);
  }

  public static ObjectRef node(String name) {
    return new ObjectRef(Kind.NODE, "", name);
  }

  public static ObjectRef service(String namespace, String name) {
    return new ObjectRef(Kind.SERVICE, namespace, name);
  }

  public static ObjectRef endpointSlice(String namespace, String name) {
    return new ObjectRef(Kind.ENDPOINT_SLICE, namespace, name);
  }

  public static ObjectRef pod(String namespace, String name) {
    return new ObjectRef(Kind.POD, namespace, name);
  }
}
