package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.grafana.DashboardConfigMaps;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the stacks with a Grafana that a ConfigMap labelled {@value DashboardConfigMaps#LABEL}
 * {@code : "true"} was created, changed, deleted, or lost or gained the label (the API server sends
 * a watch with a label selector a delete when an object stops matching), so its dashboards are read
 * again within a second instead of at the periodic reconcile.
 *
 * <p>A plain watch, not an informer: nothing of the ConfigMaps is kept, so a namespace holding
 * thousands of them costs the operator no memory (the reconcile lists them a page at a time, {@link
 * GrafanaPlan}). The watch starts at the collection's current resourceVersion (read with a one-item
 * list), so it does not replay every ConfigMap as added. An event goes to each stack with a Grafana
 * whose dashboard selector takes the ConfigMap's namespace; its label part is left to the
 * reconcile, since a ConfigMap whose labels stop matching must reach the stack that took it before.
 * When the watch ends (its resourceVersion expired, 410 Gone), it starts again from now and every
 * stack with a Grafana reconciles, for what it might have missed.
 *
 * <p>A burst costs each stack at most one reconcile per {@link #WINDOW}: the first change of a
 * quiet stack goes at once, the rest of the window's in one event at its end. Each such reconcile
 * lists every dashboard ConfigMap the stack may take, so a tenant writing thousands of them does
 * not make its stack read them all thousands of times.
 */
final class DashboardConfigMapEvents extends SimpleInboundEventSource<MonitoringStack>
    implements Watcher<ConfigMap> {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardConfigMapEvents.class);

  /** How long to wait before watching again after the watch could not start. */
  static final long RETRY_SECONDS = 30;

  /** The shortest time between two events for one stack. */
  static final Duration WINDOW = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final EventSourceContext<MonitoringStack> context;
  private final MonitoringState state;
  private volatile Watch watch;
  private volatile boolean running;

  private final OncePerWindow oncePerWindow = new OncePerWindow(WINDOW, this::propagateEvent);

  DashboardConfigMapEvents(EventSourceContext<MonitoringStack> context, MonitoringState state) {
    super("dashboard-configmaps");
    this.client = context.getClient();
    this.context = context;
    this.state = state;
  }

  @Override
  public synchronized void start() {
    super.start();
    running = true;
    open();
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (watch != null) {
      watch.close();
      watch = null;
    }
    super.stop();
  }

  private synchronized void open() {
    if (!running) {
      return;
    }
    try {
      String now =
          client
              .configMaps()
              .inAnyNamespace()
              .withLabel(DashboardConfigMaps.LABEL, "true")
              .list(new ListOptionsBuilder().withLimit(1L).build())
              .getMetadata()
              .getResourceVersion();
      watch =
          client
              .configMaps()
              .inAnyNamespace()
              .withLabel(DashboardConfigMaps.LABEL, "true")
              .withResourceVersion(now)
              .watch(this);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Cannot watch the ConfigMaps labelled {}; dashboards follow at the periodic reconcile"
              + " until it can (retrying in {} s): {}",
          DashboardConfigMaps.LABEL,
          RETRY_SECONDS,
          e.getMessage());
      CompletableFuture.delayedExecutor(RETRY_SECONDS, TimeUnit.SECONDS).execute(this::open);
    }
  }

  @Override
  public void eventReceived(Action action, ConfigMap configMap) {
    if (action == Action.ADDED || action == Action.MODIFIED || action == Action.DELETED) {
      propagate(stack -> state.selects(stack, GrafanaPlan.dashboardNamespaces(stack), configMap));
    }
  }

  @Override
  public void onClose(WatcherException cause) {
    LOG.debug("The dashboard ConfigMaps' watch ended ({}); watching again", cause.getMessage());
    propagate(stack -> true);
    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::open);
  }

  private void propagate(Predicate<MonitoringStack> takes) {
    context
        .getPrimaryCache()
        .list(stack -> GrafanaEnabled.enabled(stack) && takes.test(stack))
        .forEach(stack -> oncePerWindow.offer(ResourceID.fromResource(stack)));
  }
}
