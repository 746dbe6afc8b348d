package dev.vigil.e2e.harness;

import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.VigilOperator;
import dev.vigil.operator.targets.ShardQueryUrls;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator in the test's JVM, as the end-to-end tests with real Prometheus, Alertmanager,
 * collector or Jaeger processes run it: no leader election, watching the test's namespaces, the
 * first of them a platform namespace, and serving its HTTP (probes, metrics, service discovery) on
 * a loopback port, which the rendered configurations name as the discovery URL so a real Prometheus
 * reaches it.
 */
public final class InProcessOperator {
  private InProcessOperator() {}

  /**
   * Starts it.
   *
   * @param httpPort the port of its HTTP server, on 127.0.0.1 in the rendered discovery URL
   * @param platformNamespace watched, and the one platform namespace
   * @param otherNamespaces also watched
   */
  public static VigilOperator start(
      KubernetesClient admin, int httpPort, String platformNamespace, String... otherNamespaces)
      throws IOException {
    return start(admin, httpPort, ShardQueryUrls.IN_CLUSTER, platformNamespace, otherNamespaces);
  }

  /**
   * As above, reading the shards' series (for stacks that balance series or autoscale) from {@code
   * shardQueryUrls}: the test's Prometheus processes.
   */
  public static VigilOperator start(
      KubernetesClient admin,
      int httpPort,
      ShardQueryUrls shardQueryUrls,
      String platformNamespace,
      String... otherNamespaces)
      throws IOException {
    List<String> watched = new ArrayList<>(List.of(platformNamespace));
    watched.addAll(List.of(otherNamespaces));
    VigilOperator vigil =
        new VigilOperator(
            OperatorConfig.from(
                List.of(
                    "--leader-election=false",
                    "--http-port=" + httpPort,
                    "--watch-namespaces=" + String.join(",", watched),
                    "--platform-namespaces=" + platformNamespace,
                    "--service-discovery-url=http://127.0.0.1:" + httpPort),
                Map.of()),
            admin,
            new VigilOperator.Runtime(true, false, Metrics.NOOP, shardQueryUrls));
    vigil.start();
    return vigil;
  }
}
