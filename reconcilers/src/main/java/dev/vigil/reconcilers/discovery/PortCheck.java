package dev.vigil.reconcilers.discovery;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Whether a job's port rule names a port that exists: a ServiceMonitor endpoint's {@code port} must
 * be a port name of the Services it selects, a PodMonitor endpoint's {@code port} or {@code
 * portNumber} a container port of the Pods it selects. Nothing selected is not a port problem (the
 * monitor simply has no targets yet).
 */
public final class PortCheck {
  private PortCheck() {}

  /**
   * The problem, naming the ports that do exist, or empty when the port is found, when the rule is
   * not a port name/number of the selected objects, or when nothing is selected.
   */
  public static Optional<String> problem(DiscoveryJob job, ClusterSnapshot snapshot) {
    DiscoveryJob.PortFilter port = job.port();
    SortedSet<String> existing = new TreeSet<>();
    int selected = 0;
    if (port.kind() == DiscoveryJob.PortFilter.Kind.SERVICE_PORT_NAME) {
      for (String namespace : job.namespaces().candidates(snapshot)) {
        for (Service service : snapshot.services(namespace)) {
          if (!job.selection().selects(service.getMetadata())) {
            continue;
          }
          selected++;
          for (ServicePort p :
              service.getSpec() == null
                  ? java.util.List.<ServicePort>of()
                  : service.getSpec().getPorts()) {
            if (p.getName() != null) {
              existing.add(p.getName());
            }
          }
        }
      }
      return describe(port.value(), "Service port name", selected, "Service", existing);
    }
    if (job.role() == DiscoveryJob.Role.POD && port.kind() != DiscoveryJob.PortFilter.Kind.ANY) {
      boolean byName = port.kind() == DiscoveryJob.PortFilter.Kind.CONTAINER_PORT_NAME;
      for (String namespace : job.namespaces().candidates(snapshot)) {
        for (Pod pod : snapshot.pods(namespace)) {
          if (!job.selection().selects(pod.getMetadata()) || pod.getSpec() == null) {
            continue;
          }
          selected++;
          for (Container container : pod.getSpec().getContainers()) {
            for (ContainerPort p : container.getPorts()) {
              if (byName && p.getName() != null) {
                existing.add(p.getName());
              } else if (!byName && p.getContainerPort() != null) {
                existing.add(Integer.toString(p.getContainerPort()));
              }
            }
          }
        }
      }
      return describe(
          port.value(),
          byName ? "container port name" : "container port",
          selected,
          "Pod",
          existing);
    }
    return Optional.empty();
  }

  private static Optional<String> describe(
      String wanted, String what, int selected, String kind, SortedSet<String> existing) {
    if (selected == 0 || existing.contains(wanted)) {
      return Optional.empty();
    }
    return Optional.of(
        "\""
            + wanted
            + "\" is not a "
            + what
            + " of the "
            + selected
            + " "
            + kind
            + "(s) the selector matches"
            + (existing.isEmpty()
                ? " (they have none)"
                : "; they have: " + String.join(", ", existing)));
  }
}
