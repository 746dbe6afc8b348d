package dev.vigil.operator.http;

import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.servicediscovery.JobTargets;
import dev.vigil.operator.servicediscovery.ServiceDiscoveryHandler;
import dev.vigil.operator.servicediscovery.StackTokens;
import dev.vigil.reconcilers.discovery.TargetGroup;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * The operator's HTTP server in a process of its own, for {@link SlowClientsIT}: probes, metrics
 * and service discovery (one small and one big job of stack {@code monitoring/platform}) on
 * loopback. Prints {@code PORTS <http> <sd>} once serving; stops when its standard input closes.
 */
public final class AbuseTarget {
  static final String TOKEN = "abuse-test-token";
  static final String SMALL_JOB = "serviceMonitor/shop/checkout/0";
  static final String BIG_JOB = "podMonitor/shop/everything/0";

  private AbuseTarget() {}

  public static void main(String[] args) throws Exception {
    JobTargets targets =
        new JobTargets() {
          final JobTargets.Versioned small = new JobTargets.Versioned(1, groups(200));
          final JobTargets.Versioned big = new JobTargets.Versioned(2, groups(20_000));

          @Override
          public Optional<Versioned> targets(
              String namespace, String stack, int shard, String job) {
            if (!namespace.equals("monitoring") || !stack.equals("platform") || shard != 0) {
              return Optional.empty();
            }
            return switch (job) {
              case SMALL_JOB -> Optional.of(small);
              case BIG_JOB -> Optional.of(big);
              default -> Optional.empty();
            };
          }

          @Override
          public void onChange(ChangeListener listener) {}
        };
    StackTokens tokens =
        (namespace, stack) ->
            stack.equals("platform")
                ? Optional.of(TOKEN.getBytes(StandardCharsets.UTF_8))
                : Optional.empty();
    OperatorConfig config = OperatorConfig.from(List.of(args), Map.of());
    SSLContext tls = null;
    if (config.serviceDiscoveryTlsSecret() != null) {
      ServingCertificate certificate = new ServingCertificate();
      certificate.set(TestCertificates.pem("rsa.crt"), TestCertificates.pem("rsa.pkcs1.key"));
      tls = certificate.sslContext();
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceDiscoveryHandler sd = new ServiceDiscoveryHandler(targets, tokens, true);
    OperatorPorts http =
        OperatorPorts.open(
            config.httpPort(),
            config.serviceDiscoveryPort(),
            tls,
            config.httpLimits(),
            () -> true,
            registry,
            ServiceDiscoveryHandler.PREFIX,
            sd);
    http.start();
    System.err.println("serving " + http.describe() + " within " + config.httpLimits());
    System.out.println("PORTS " + http.httpPort() + " " + http.serviceDiscoveryPort());
    System.out.flush();
    while (System.in.read() != -1) {
      // until the test closes our standard input
    }
    http.close();
    sd.close();
  }

  static List<TargetGroup> groups(int targets) {
    List<TargetGroup> groups = new ArrayList<>();
    for (int i = 0; i < targets; i++) {
      groups.add(
          new TargetGroup(
              List.of("10.%d.%d.%d:8080".formatted(i >> 16 & 255, i >> 8 & 255, i & 255)),
              new TreeMap<>(
                  Map.of(
                      "__meta_kubernetes_namespace", "shop",
                      "__meta_kubernetes_pod_name", "pod-" + i,
                      "__meta_kubernetes_pod_uid", "0000-" + Integer.toHexString(i * 7919),
                      "__meta_kubernetes_pod_label_app", "app-" + (i % 97)))));
    }
    return groups;
  }
}
