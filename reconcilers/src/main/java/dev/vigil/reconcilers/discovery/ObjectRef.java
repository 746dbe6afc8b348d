package dev.vigil.reconcilers.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

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

  /**
   * The reference of an object discovery reads.
   *
   * @throws IllegalArgumentException for any other kind
   */
  public static ObjectRef of(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    if (object instanceof Namespace) {
      return namespace(name);
    } else if (object instanceof Node) {
      return node(name);
    } else if (object instanceof Service) {
      return service(namespace, name);
    } else if (object instanceof EndpointSlice) {
      return endpointSlice(namespace, name);
    } else if (object instanceof Pod) {
      return pod(namespace, name);
    }
    throw new IllegalArgumentException("discovery does not read " + object.getKind());
  }
}
