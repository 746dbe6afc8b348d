package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.rules.ExpressionCheck;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A MonitoringState a test sets by hand: stacks select every monitor it holds; targets are set per
 * monitor and spread evenly over the shards. {@link #changed} plays the operator's discovery
 * telling reconcilers that something moved.
 */
public final class FixedMonitoringState implements MonitoringState {
  public static final DeploymentSettings SETTINGS =
      new DeploymentSettings(
          "http://vigil.vigil-system.svc:8080", "vigil/operator:test", Tenancy.SINGLE_TEAM);

  /** Takes every expression: these tests are about objects, not PromQL. */
  public static final ExpressionCheck NO_CHECK = expression -> java.util.Optional.empty();

  public final List<MonitoringStack> stacks = new CopyOnWriteArrayList<>();
  public final List<ServiceMonitor> serviceMonitors = new CopyOnWriteArrayList<>();
  public final List<PodMonitor> podMonitors = new CopyOnWriteArrayList<>();
  public final List<AlertPolicy> policies = new CopyOnWriteArrayList<>();
  public final Map<String, Integer> targets = new ConcurrentHashMap<>();
  public final Map<String, List<String>> portProblems = new ConcurrentHashMap<>();
  private final List<Consumer<HasMetadata>> listeners = new CopyOnWriteArrayList<>();

  /** The series reading every stack is given; null for none. */
  public volatile ShardSeries series;

  @Override
  public java.util.Optional<ShardSeries> series(MonitoringStack stack) {
    return java.util.Optional.ofNullable(series);
  }

  @Override
  public boolean hasSynced() {
    return true;
  }

  @Override
  public List<MonitoringStack> stacks() {
    return List.copyOf(stacks);
  }

  @Override
  public List<ServiceMonitor> serviceMonitors(MonitoringStack stack) {
    return List.copyOf(serviceMonitors);
  }

  @Override
  public List<PodMonitor> podMonitors(MonitoringStack stack) {
    return List.copyOf(podMonitors);
  }

  @Override
  public List<AlertPolicy> policies(MonitoringStack stack) {
    return List.copyOf(policies);
  }

  @Override
  public boolean selectsPolicy(MonitoringStack stack, AlertPolicy policy) {
    return policies.stream().anyMatch(p -> same(p, policy));
  }

  /** Every object of the stack's own namespace, as a selector without namespaceSelector does. */
  @Override
  public boolean selects(
      MonitoringStack stack,
      dev.vigil.api.v1alpha1.common.ResourceSelector selector,
      HasMetadata object) {
    return object.getMetadata().getNamespace().equals(stack.getMetadata().getNamespace());
  }

  @Override
  public boolean selects(MonitoringStack stack, HasMetadata monitor) {
    return serviceMonitors.stream().anyMatch(m -> same(m, monitor))
        || podMonitors.stream().anyMatch(m -> same(m, monitor));
  }

  @Override
  public StackTargets targets(MonitoringStack stack, Set<String> jobs) {
    int shards = stack.getSpec().scraper.shards;
    int total = targets.values().stream().mapToInt(Integer::intValue).sum();
    int[] counts = new int[shards];
    for (int i = 0; i < total; i++) {
      counts[i % shards]++;
    }
    return new StackTargets(counts, List.of());
  }

  @Override
  public MonitorTargets targets(HasMetadata monitor) {
    int n = targets.getOrDefault(monitor.getMetadata().getName(), 0);
    return new MonitorTargets(n, n, List.of());
  }

  @Override
  public List<String> portProblems(HasMetadata monitor) {
    return portProblems.getOrDefault(monitor.getMetadata().getName(), List.of());
  }

  @Override
  public void onChange(Consumer<HasMetadata> listener) {
    listeners.add(listener);
  }

  public void changed(HasMetadata object) {
    listeners.forEach(l -> l.accept(object));
  }

  private static boolean same(HasMetadata a, HasMetadata b) {
    return a.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())
        && a.getMetadata().getName().equals(b.getMetadata().getName());
  }
}
