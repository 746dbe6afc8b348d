package dev.vigil.e2e.harness;

import dev.vigil.operator.http.HttpEndpoints;
import dev.vigil.operator.reloader.Reloader;
import dev.vigil.operator.reloader.ReloaderConfig;
import dev.vigil.operator.reloader.ReloaderMetrics;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil-operator reloader} run in-process as its own ServiceAccount, as the pod would run
 * it: first {@code --once} (the init container), then the sidecar with its HTTP server. Whatever
 * writes the config Secret (a test, or the operator reconciling a MonitoringStack), this is the
 * side that carries it to a {@link RealPrometheus}.
 */
public final class InProcessReloader implements AutoCloseable {
  private final KubernetesClient client;
  private final ReloaderMetrics metrics = new ReloaderMetrics(Clock.systemUTC());
  private Reloader reloader;
  private HttpEndpoints http;

  private InProcessReloader(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates a ServiceAccount named {@code account} and a Role and RoleBinding that let it get, list
   * and watch only the Secret {@code secret} (and the ConfigMaps {@code configMaps}), exactly the
   * RBAC docs/reloader.md prescribes, and returns a reloader acting as that account.
   */
  public static InProcessReloader withOwnServiceAccount(
      String namespace, String account, String secret, List<String> configMaps) {
    KubernetesClient admin = RealApiServer.admin();
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(account)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .fieldManager("vigil-e2e")
        .serverSideApply();
    List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules = new ArrayList<>();
    rules.add(
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("secrets")
            .withResourceNames(secret)
            .withVerbs("get", "list", "watch")
            .build());
    if (!configMaps.isEmpty()) {
      rules.add(
          new PolicyRuleBuilder()
              .withApiGroups("")
              .withResources("configmaps")
              .withResourceNames(configMaps)
              .withVerbs("get", "list", "watch")
              .build());
    }
    admin
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName(account)
                .withNamespace(namespace)
                .endMetadata()
                .withRules(rules)
                .build())
        .fieldManager("vigil-e2e")
        .forceConflicts()
        .serverSideApply();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(account)
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", account)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(account)
                .withNamespace(namespace)
                .endSubject()
                .build())
        .fieldManager("vigil-e2e")
        .forceConflicts()
        .serverSideApply();
    return new InProcessReloader(RealApiServer.clientAs(namespace, account));
  }

  /** The client the reloader uses: the ServiceAccount, impersonated. */
  public KubernetesClient client() {
    return client;
  }

  /** The init container: {@code reloader --once} with these flags; true when it wrote the files. */
  public boolean once(List<String> flags) throws InterruptedException {
    ReloaderConfig config = config(flags, "--once");
    try (Reloader once = new Reloader(config, client, new ReloaderMetrics(Clock.systemUTC()))) {
      return once.writeOnce(config.onceTimeout());
    }
  }

  /** The sidecar: {@code reloader} with these flags, serving on a free port. */
  public void start(List<String> flags) throws IOException {
    ReloaderConfig config = config(flags, "--http-port=0");
    reloader = new Reloader(config, client, metrics);
    http = new HttpEndpoints(config.httpPort(), reloader::ready, metrics.registry());
    http.start();
    reloader.start();
  }

  public boolean ready() {
    return reloader != null && reloader.ready();
  }

  /** {@code GET /metrics} of the sidecar, over HTTP as Prometheus would scrape it. */
  public String metrics() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /**
   * The value of one sample line of {@link #metrics()}, e.g. {@code vigil_reloader_reloads_total}.
   */
  public double metric(String name) throws IOException, InterruptedException {
    return metrics()
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name));
  }

  private static ReloaderConfig config(List<String> flags, String extra) {
    List<String> all = new ArrayList<>(flags);
    all.add(extra);
    return ReloaderConfig.from(all, Map.of());
  }

  public static List<String> flags(String namespace, String secret, Path output, URI reloadUrl) {
    return List.of(
        "--namespace=" + namespace,
        "--secret=" + secret,
        "--key=prometheus.yml",
        "--output=" + output,
        "--reload-url=" + reloadUrl,
        "--reload-timeout=3s",
        "--once-timeout=30s");
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    if (reloader != null) {
      reloader.close();
    }
    client.close();
  }
}
