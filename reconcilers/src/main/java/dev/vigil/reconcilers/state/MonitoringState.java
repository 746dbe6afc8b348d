package dev.vigil.reconcilers.state;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the operator's one set of discovery watches knows about stacks, monitors and policies, as
 * the reconcilers read it: which monitors and policies each stack selects and how many targets the
 * monitors have. The operator implements it; reconcilers never watch Pods or EndpointSlices
 * themselves.
 */
public interface MonitoringState {
  /** Whether every watch has listed once; before that, selections may be incomplete. */
  boolean hasSynced();

  /** Every MonitoringStack, by namespace and name. */
  List<MonitoringStack> stacks();

  /** The ServiceMonitors the stack selects, by namespace and name. */
  List<ServiceMonitor> serviceMonitors(MonitoringStack stack);

  /** The PodMonitors the stack selects, by namespace and name. */
  List<PodMonitor> podMonitors(MonitoringStack stack);

  /** The AlertPolicies the stack's policySelector selects, by namespace and name. */
  List<AlertPolicy> policies(MonitoringStack stack);

  /** Whether the stack's policySelector takes the policy in (its labels, its namespace's). */
  boolean selectsPolicy(MonitoringStack stack, AlertPolicy policy);

  /** Whether the stack's monitorSelector takes the monitor in (its labels, its namespace's). */
  boolean selects(MonitoringStack stack, HasMetadata monitor);

  /**
   * Whether a selector of the stack (its {@code grafana.dashboardSelector}, say) takes an object
   * in, with the same defaults as {@code monitorSelector}: labels of the object, labels of its
   * namespace, the stack's own namespace when no namespaceSelector is given.
   */
  boolean selects(MonitoringStack stack, ResourceSelector selector, HasMetadata object);

  /**
   * What each shard of the stack scrapes of these jobs (the ones its configuration has): the
   * targets their relabeling keeps, equal ones once, as the shard's Prometheus counts its active
   * targets.
   */
  StackTargets targets(MonitoringStack stack, Set<String> jobs);

  /**
   * The monitor's targets: discovered, and scraped (kept by its relabeling; where stacks relabel
   * differently, the most any stack that selects it scrapes).
   */
  MonitorTargets targets(HasMetadata monitor);

  /**
   * Endpoints whose port names no port of what the monitor selects, each a sentence starting with
   * the field, e.g. {@code spec.endpoints[0].port: "metrics" is not a Service port name ...}.
   */
  List<String> portProblems(HasMetadata monitor);

  /**
   * The series each shard of the stack held when they were last read; empty when Vigil does not
   * read them (neither balancing by series nor autoscaling) or has not yet.
   */
  default Optional<ShardSeries> series(MonitoringStack stack) {
    return Optional.empty();
  }

  /**
   * Registers a listener, called with every stack and monitor whose answers above changed (its
   * selection, its targets), so their reconcilers run again.
   */
  void onChange(Consumer<HasMetadata> listener);

  /**
   * @param perShard targets scraped per shard; index = shard
   * @param unevaluated jobs whose targets are counted as discovered, each "job: why"
   */
  record StackTargets(int[] perShard, List<String> unevaluated) {
    public StackTargets {
      perShard = perShard.clone();
      unevaluated = List.copyOf(unevaluated);
    }

    public int total() {
      return java.util.Arrays.stream(perShard).sum();
    }

    @Override
    public int[] perShard() {
      return perShard.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StackTargets other
          && java.util.Arrays.equals(perShard, other.perShard)
          && unevaluated.equals(other.unevaluated);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Arrays.hashCode(perShard) + unevaluated.hashCode();
    }

    @Override
    public String toString() {
      return "StackTargets" + java.util.Arrays.toString(perShard) + unevaluated;
    }
  }

  /**
   * One reading of a stack's shards.
   *
   * @param perShard the sum of {@code scrape_samples_post_metric_relabeling} on each shard; index =
   *     shard; -1 for a shard that could not be read
   * @param readAt when
   * @param moved targets scraped away from their rendezvous shard to balance series
   */
  record ShardSeries(long[] perShard, Instant readAt, int moved) {
    public ShardSeries {
      perShard = perShard.clone();
    }

    @Override
    public long[] perShard() {
      return perShard.clone();
    }

    /** Whether every shard was read. */
    public boolean complete() {
      return java.util.Arrays.stream(perShard).allMatch(series -> series >= 0);
    }

    /** The series of every shard read. */
    public long total() {
      return java.util.Arrays.stream(perShard).filter(series -> series > 0).sum();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ShardSeries other
          && java.util.Arrays.equals(perShard, other.perShard)
          && readAt.equals(other.readAt)
          && moved == other.moved;
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(perShard) * 31 + readAt.hashCode() + moved;
    }

    @Override
    public String toString() {
      return "ShardSeries"
          + java.util.Arrays.toString(perShard)
          + "@"
          + readAt
          + ", moved "
          + moved;
    }
  }

  /**
   * @param scraped targets Prometheus scrapes
   * @param discovered targets discovery found, before relabeling
   * @param unevaluated jobs whose targets are counted as discovered, each "job: why"
   */
  record MonitorTargets(int scraped, int discovered, List<String> unevaluated) {
    public static final MonitorTargets NONE = new MonitorTargets(0, 0, List.of());

    public MonitorTargets {
      unevaluated = List.copyOf(unevaluated);
    }
  }
}
