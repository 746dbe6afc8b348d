package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * helm-chart/vigil with the real helm 4 binary: lint, golden renderings of four value sets (each
 * also accepted by the real API server in a server-side dry run), the schema rejecting bad values,
 * and the chart's CRDs and RBAC kept equal to crds/ and manifests/rbac/.
 *
 * <p>After a deliberate chart change: {@code mvn -B -o -pl e2e -am verify -Dtest=HelmChartIT
 * -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.updateGolden=true}, then review the diff of
 * e2e/src/test/resources/golden/helm/.
 */
class HelmChartIT {
  static final Path CHART = RealApiServer.REPO.resolve("helm-chart/vigil");
  static final Path VALUES = RealApiServer.REPO.resolve("e2e/src/test/resources/helm-values");
  static final Path GOLDEN = RealApiServer.REPO.resolve("e2e/src/test/resources/golden/helm");

  record Result(int exitCode, String output) {}

  /** Runs the real helm; unlike {@link RealApiServer#run}, a failure is a result too. */
  static Result helm(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(RealApiServer.tool("VIGIL_HELM"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("vigil-helm", ".out");
    Path err = Files.createTempFile("vigil-helm", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(RealApiServer.REPO.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      boolean done = process.waitFor(60, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly();
      }
      assertThat(done).as("helm %s finished in time", String.join(" ", args)).isTrue();
      String stdout = Files.readString(out);
      String stderr = Files.readString(err);
      return new Result(process.exitValue(), process.exitValue() == 0 ? stdout : stderr + stdout);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static String template(String valuesFile) throws Exception {
    Result result =
        helm(
            "template",
            "vigil",
            "helm-chart/vigil",
            "--namespace",
            "vigil-system",
            "-f",
            VALUES.resolve(valuesFile).toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  static List<HasMetadata> parse(String yaml) {
    return RealApiServer.admin()
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .items();
  }

  @Test
  void lintStrictPasses() throws Exception {
    Result lint = helm("lint", "--strict", "helm-chart/vigil");
    assertThat(lint.exitCode()).as(lint.output()).isZero();
    assertThat(lint.output()).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "default.yaml",
        "watch-namespaces-servicemonitor.yaml",
        "custom-image-resources.yaml",
        "service-discovery-tls.yaml"
      })
  void templateMatchesGoldenAndTheApiServerAcceptsIt(String valuesFile) throws Exception {
    String rendered = template(valuesFile);
    Path golden = GOLDEN.resolve(valuesFile);
    if (Boolean.getBoolean("vigil.updateGolden")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, rendered, StandardCharsets.UTF_8);
    }
    assertThat(golden).exists();
    assertThat(Files.readString(golden))
        .as(
            "%s is stale: run mvn -B -o -pl e2e -am verify -Dtest=HelmChartIT"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.updateGolden=true and review"
                + " the diff",
            golden)
        .isEqualTo(rendered);

    // The Deployment's flags are ones the operator accepts.
    Deployment deployment =
        parse(rendered).stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    OperatorConfig config =
        OperatorConfig.from(container.getArgs(), Map.of("POD_NAMESPACE", "vigil-system"));
    assertThat(config.operatorImage()).isEqualTo(container.getImage());

    // The real API server accepts every object (server-side dry run: nothing is stored).
    RealApiServer.ensureNamespace("vigil-system");
    Path file = Files.createTempFile("vigil-helm-template", ".yaml");
    try {
      Files.writeString(file, rendered);
      assertThat(
              RealApiServer.kubectl(
                  "apply", "--server-side", "--dry-run=server", "-f", file.toString()))
          .contains("serverside-applied (server dry run)");
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void defaultsMatchTheKustomizeBase() throws Exception {
    Deployment deployment =
        parse(template("default.yaml")).stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(deployment.getMetadata().getName()).isEqualTo("vigil-operator");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    OperatorConfig config =
        OperatorConfig.from(container.getArgs(), Map.of("POD_NAMESPACE", "vigil-system"));
    OperatorConfig defaults = OperatorConfig.from(List.of(), Map.of());
    assertThat(container.getImage()).isEqualTo(defaults.operatorImage());
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.serviceDiscoveryUrl()).isEqualTo(defaults.serviceDiscoveryUrl());
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
        .isTrue();
  }

  @Test
  void serviceDiscoveryTlsHasItsOwnHttpsPortAndTheProbesStayPlain() throws Exception {
    List<HasMetadata> rendered = parse(template("service-discovery-tls.yaml"));
    Deployment deployment =
        rendered.stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    OperatorConfig config =
        OperatorConfig.from(container.getArgs(), Map.of("POD_NAMESPACE", "vigil-system"));
    assertThat(config.serviceDiscoveryTlsSecret())
        .isEqualTo(new OperatorConfig.SecretName("vigil-system", "vigil-sd-tls"));
    assertThat(config.serviceDiscoveryPort()).isEqualTo(8443);
    assertThat(config.serviceDiscoveryUrl())
        .isEqualTo("https://vigil-operator.vigil-system.svc:8443");
    assertThat(config.httpLimits().requestTimeout()).hasSeconds(5);
    assertThat(config.httpLimits().maxConnections()).isEqualTo(1024);
    assertThat(container.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "sd-https:8443", "webhook:9443");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    Service service =
        rendered.stream()
            .filter(Service.class::isInstance)
            .map(Service.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(service.getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("http:8080", "sd-https:8443");

    Result samePort =
        helm(
            "template",
            "vigil",
            "helm-chart/vigil",
            "--set",
            "serviceDiscovery.tls.secretName=x",
            "--set",
            "serviceDiscovery.tls.port=8080");
    assertThat(samePort.exitCode()).isNotZero();
    assertThat(samePort.output()).contains("serviceDiscovery.tls.port must differ from httpPort");
    Result fraction =
        helm("template", "vigil", "helm-chart/vigil", "--set", "http.requestTimeout=1500ms");
    assertThat(fraction.exitCode()).isNotZero();
    assertThat(fraction.output()).contains("/http/requestTimeout");
  }

  @Test
  void invalidValuesFailWithTheSchemaMessage() throws Exception {
    Result replicas = helm("template", "vigil", "helm-chart/vigil", "--set-string", "replicas=two");
    assertThat(replicas.exitCode()).isNotZero();
    assertThat(replicas.output())
        .contains("values don't meet the specifications of the schema")
        .contains("/replicas")
        .contains("want integer");

    Result level = helm("template", "vigil", "helm-chart/vigil", "--set", "logLevel=verbose");
    assertThat(level.exitCode()).isNotZero();
    assertThat(level.output()).contains("/logLevel");

    Result unknown = helm("template", "vigil", "helm-chart/vigil", "--set", "replica=3");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("replica");

    Result noLeader =
        helm("template", "vigil", "helm-chart/vigil", "--set", "leaderElection.enabled=false");
    assertThat(noLeader.exitCode()).isNotZero();
    assertThat(noLeader.output()).contains("leaderElection.enabled=false needs replicas: 1");
  }

  @Test
  void chartCrdsAreTheRepositoryCrds() throws Exception {
    List<Path> repo = RealApiServer.crdFiles();
    List<Path> chart;
    try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
      chart = files.sorted().toList();
    }
    assertThat(chart.stream().map(p -> p.getFileName().toString()))
        .as(
            "helm-chart/vigil/crds/ holds exactly crds/*.yaml: cp crds/*.yaml helm-chart/vigil/crds/")
        .containsExactlyElementsOf(repo.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : repo) {
      assertThat(Files.readString(CHART.resolve("crds").resolve(file.getFileName())))
          .as(
              "helm-chart/vigil/crds/%s differs from crds/: cp crds/*.yaml helm-chart/vigil/crds/",
              file.getFileName())
          .isEqualTo(Files.readString(file));
    }
  }

  @Test
  void chartRbacIsTheRbacOperatorRbacItProves() throws Exception {
    List<HasMetadata> rendered = parse(template("default.yaml"));
    ClusterRole chart =
        rendered.stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .findFirst()
            .orElseThrow();
    ClusterRole manifest;
    try (var in = Files.newInputStream(OperatorRbacIT.RBAC.resolve("cluster-role.yaml"))) {
      manifest = (ClusterRole) RealApiServer.admin().load(in).items().get(0);
    }
    assertThat(chart.getRules())
        .as("helm-chart/vigil/templates/clusterrole.yaml rules = manifests/rbac/cluster-role.yaml")
        .isEqualTo(manifest.getRules());

    List<HasMetadata> leaderElection;
    try (var in = Files.newInputStream(OperatorRbacIT.RBAC.resolve("leader-election-role.yaml"))) {
      leaderElection = RealApiServer.admin().load(in).items();
    }
    var manifestRole = (io.fabric8.kubernetes.api.model.rbac.Role) leaderElection.get(0);
    assertThat(
            rendered.stream()
                .filter(io.fabric8.kubernetes.api.model.rbac.Role.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.rbac.Role.class::cast)
                .findFirst()
                .orElseThrow()
                .getRules())
        .isEqualTo(manifestRole.getRules());
  }
}
