package dev.vigil.reconcilers.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link ClusterSnapshot} held in maps: filled by {@link #put} and {@link #delete}, used by tests
 * and by anything that feeds discovery from its own event stream. Objects are stored as given (trim
 * them first with {@link TrimmedObjects} to keep memory flat) and must not be modified afterwards.
 * Thread-safe.
 */
public final class InMemoryClusterSnapshot implements ClusterSnapshot {
  private final Map<String, Namespace> namespaces = new TreeMap<>();
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, Map<String, Service>> services = new TreeMap<>();
  private final Map<String, Map<String, EndpointSlice>> endpointSlices = new TreeMap<>();
  private final Map<String, Map<String, Pod>> pods = new TreeMap<>();

  /**
   * Pods by namespace and label ({@code key + '\0' + value}): a selector's {@code matchLabels}
   * finds its pods without reading every pod of the namespace, which at 100,000 pods and hundreds
   * of monitors selecting across namespaces is the difference between milliseconds and seconds.
   */
  private final Map<String, Map<String, Map<String, Pod>>> podsByLabel = new HashMap<>();

  /**
   * Adds or replaces a Namespace, Node, Service, EndpointSlice ({@code discovery.k8s.io/v1}) or
   * Pod.
   */
  public synchronized InMemoryClusterSnapshot put(HasMetadata object) {
    String name = object.getMetadata().getName();
    String ns = object.getMetadata().getNamespace();
    if (object instanceof Namespace namespace) {
      namespaces.put(name, namespace);
    } else if (object instanceof Node node) {
      nodes.put(name, node);
    } else if (object instanceof Service service) {
      services.computeIfAbsent(ns, k -> new TreeMap<>()).put(name, service);
    } else if (object instanceof EndpointSlice slice) {
      endpointSlices.computeIfAbsent(ns, k -> new TreeMap<>()).put(name, slice);
    } else if (object instanceof Pod pod) {
      Pod replaced = pods.computeIfAbsent(ns, k -> new TreeMap<>()).put(name, pod);
      if (replaced != null) {
        unindex(replaced);
      }
      index(pod);
    } else {
      throw new IllegalArgumentException(
          "discovery does not read " + object.getKind() + " objects: " + name);
    }
    return this;
  }

  public synchronized InMemoryClusterSnapshot putAll(Collection<? extends HasMetadata> objects) {
    objects.forEach(this::put);
    return this;
  }

  /** Removes the object of the same kind, namespace and name, if present. */
  public synchronized InMemoryClusterSnapshot delete(HasMetadata object) {
    String name = object.getMetadata().getName();
    String ns = object.getMetadata().getNamespace();
    if (object instanceof Namespace) {
      namespaces.remove(name);
    } else if (object instanceof Node) {
      nodes.remove(name);
    } else if (object instanceof Service) {
      removeNamespaced(services, ns, name);
    } else if (object instanceof EndpointSlice) {
      removeNamespaced(endpointSlices, ns, name);
    } else if (object instanceof Pod) {
      find(pods, ns, name).ifPresent(this::unindex);
      removeNamespaced(pods, ns, name);
    } else {
      throw new IllegalArgumentException(
          "discovery does not read " + object.getKind() + " objects: " + name);
    }
    return this;
  }

  private void index(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null) {
      return;
    }
    Map<String, Map<String, Pod>> byLabel =
        podsByLabel.computeIfAbsent(pod.getMetadata().getNamespace(), k -> new HashMap<>());
    for (Map.Entry<String, String> label : labels.entrySet()) {
      byLabel
          .computeIfAbsent(labelKey(label.getKey(), label.getValue()), k -> new HashMap<>(4))
          .put(pod.getMetadata().getName(), pod);
    }
  }

  private void unindex(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    Map<String, Map<String, Pod>> byLabel = podsByLabel.get(pod.getMetadata().getNamespace());
    if (labels == null || byLabel == null) {
      return;
    }
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String key = labelKey(label.getKey(), label.getValue());
      Map<String, Pod> labelled = byLabel.get(key);
      if (labelled != null) {
        labelled.remove(pod.getMetadata().getName());
        if (labelled.isEmpty()) {
          byLabel.remove(key);
        }
      }
    }
    if (byLabel.isEmpty()) {
      podsByLabel.remove(pod.getMetadata().getNamespace());
    }
  }

  private static String labelKey(String key, String value) {
    return key + '\0' + value;
  }

  private static <T> void removeNamespaced(
      Map<String, Map<String, T>> byNamespace, String ns, String name) {
    Map<String, T> inNamespace = byNamespace.get(ns);
    if (inNamespace != null) {
      inNamespace.remove(name);
      if (inNamespace.isEmpty()) {
        byNamespace.remove(ns);
      }
    }
  }

  private static <T> Map<String, T> inNamespace(
      Map<String, Map<String, T>> byNamespace, String ns) {
    return ns == null ? Map.of() : byNamespace.getOrDefault(ns, Map.of());
  }

  private static <T> Optional<T> find(
      Map<String, Map<String, T>> byNamespace, String ns, String name) {
    return name == null
        ? Optional.empty()
        : Optional.ofNullable(inNamespace(byNamespace, ns).get(name));
  }

  @Override
  public synchronized SortedSet<String> namespaceNames() {
    SortedSet<String> names = new TreeSet<>(namespaces.keySet());
    names.addAll(services.keySet());
    names.addAll(endpointSlices.keySet());
    names.addAll(pods.keySet());
    return names;
  }

  @Override
  public synchronized Optional<Namespace> namespace(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(namespaces.get(name));
  }

  @Override
  public synchronized List<Service> services(String namespace) {
    return new ArrayList<>(inNamespace(services, namespace).values());
  }

  @Override
  public synchronized Optional<Service> service(String namespace, String name) {
    return find(services, namespace, name);
  }

  @Override
  public synchronized List<EndpointSlice> endpointSlices(String namespace, String serviceName) {
    List<EndpointSlice> slices = new ArrayList<>();
    for (EndpointSlice slice : inNamespace(endpointSlices, namespace).values()) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      if (labels != null && serviceName.equals(labels.get(SERVICE_NAME_LABEL))) {
        slices.add(slice);
      }
    }
    return slices;
  }

  @Override
  public synchronized Optional<EndpointSlice> endpointSlice(String namespace, String name) {
    return find(endpointSlices, namespace, name);
  }

  @Override
  public synchronized List<Pod> pods(String namespace) {
    return new ArrayList<>(inNamespace(pods, namespace).values());
  }

  @Override
  public synchronized List<Pod> pods(String namespace, String key, String value) {
    Map<String, Map<String, Pod>> byLabel = podsByLabel.get(namespace);
    Map<String, Pod> labelled = byLabel == null ? null : byLabel.get(labelKey(key, value));
    return labelled == null ? new ArrayList<>() : new ArrayList<>(labelled.values());
  }

  @Override
  public synchronized Optional<Pod> pod(String namespace, String name) {
    return find(pods, namespace, name);
  }

  @Override
  public synchronized Optional<Node> node(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(nodes.get(name));
  }
}
