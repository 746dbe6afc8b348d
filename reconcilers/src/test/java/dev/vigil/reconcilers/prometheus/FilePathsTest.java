package dev.vigil.reconcilers.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.TLSConfig;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.monitoringstack.RemoteWriteSpec;
import dev.vigil.api.v1alpha1.servicemonitor.Endpoint;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitorSpec;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.config.ObjectProblem;
import dev.vigil.reconcilers.scope.Tenancy;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A file a monitor names is read inside the Prometheus container, where every team's mounted
 * credentials are: refused outside the platform namespaces unless the operator allows it.
 */
class FilePathsTest {
  static final Tenancy PLATFORM_IS_MONITORING = new Tenancy(List.of("monitoring"), false);

  static MonitoringStack stack() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(
        new ObjectMetaBuilder().withName("platform").withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    return stack;
  }

  static ServiceMonitor monitor(String namespace, Endpoint endpoint) {
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName("app").withNamespace(namespace).build());
    monitor.setSpec(new ServiceMonitorSpec());
    monitor.getSpec().selector = new LabelSelector();
    endpoint.port = "http-metrics";
    monitor.getSpec().endpoints = List.of(endpoint);
    return monitor;
  }

  static Endpoint bearerTokenFile(String path) {
    Endpoint endpoint = new Endpoint();
    endpoint.bearerTokenFile = path;
    return endpoint;
  }

  static BuiltConfig<PrometheusConfig> build(
      MonitoringStack stack, ServiceMonitor monitor, Tenancy tenancy) {
    return PrometheusConfigBuilder.build(
        stack,
        0,
        List.of(monitor),
        List.of(),
        new PrometheusConfigInputs(
            "http://vigil.vigil-system.svc:8080",
            HttpServiceDiscovery.TOKEN_FILE,
            null,
            null,
            null,
            null,
            null,
            tenancy));
  }

  @Test
  void aTenantsMonitorCannotReadAnotherTeamsMountedSecretThroughBearerTokenFile() {
    var result =
        build(
            stack(),
            monitor("team-a", bearerTokenFile("/etc/prometheus/secrets/team-b/db/password")),
            PLATFORM_IS_MONITORING);
    assertThat(result.config().scrapeConfigs())
        .noneSatisfy(job -> assertThat(job.jobName()).contains("team-a"));
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo("ServiceMonitor");
              assertThat(p.namespace()).isEqualTo("team-a");
              assertThat(p.message())
                  .startsWith("spec.endpoints[0].bearerTokenFile: file paths are refused")
                  .contains("reference a Secret key instead", "--allow-file-paths=true");
            });
    assertThat(result.mountedKeys()).isEmpty();
  }

  @Test
  void everyTlsFileIsRefusedByItsOwnField() {
    for (String field : List.of("caFile", "certFile", "keyFile")) {
      Endpoint endpoint = new Endpoint();
      endpoint.tlsConfig = new TLSConfig();
      switch (field) {
        case "caFile" -> endpoint.tlsConfig.caFile = "/etc/prometheus/sd-token";
        case "certFile" -> {
          endpoint.tlsConfig.certFile = "/etc/prometheus/secrets/team-b/tls/tls.crt";
          endpoint.tlsConfig.keyFile = "/etc/prometheus/secrets/team-b/tls/tls.key";
        }
        default -> endpoint.tlsConfig.keyFile = "/etc/prometheus/secrets/team-b/tls/tls.key";
      }
      List<ObjectProblem> problems =
          build(stack(), monitor("team-a", endpoint), PLATFORM_IS_MONITORING).problems();
      assertThat(problems)
          .as(field)
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.message())
                      .startsWith("spec.endpoints[0].tlsConfig." + field + ": file paths"));
    }
  }

  @Test
  void aPlatformMonitorMayReadTheServiceAccountTokenAsKubePrometheusDoes() {
    String token = "/var/run/secrets/kubernetes.io/serviceaccount/token";
    var result =
        build(stack(), monitor("monitoring", bearerTokenFile(token)), PLATFORM_IS_MONITORING);
    assertThat(result.problems()).isEmpty();
    assertThat(PrometheusConfigRenderer.renderString(result.config()))
        .contains("credentials_file: " + token);
  }

  @Test
  void theOperatorSettingAllowsFilePathsEverywhere() {
    var result =
        build(
            stack(),
            monitor(
                "team-a", bearerTokenFile("/var/run/secrets/kubernetes.io/serviceaccount/token")),
            new Tenancy(List.of("monitoring"), true));
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void aTenantStacksOwnRemoteWriteNamesFilesInItsOwnPods() {
    MonitoringStack stack = stack();
    stack.getMetadata().setNamespace("team-a");
    RemoteWriteSpec remoteWrite = new RemoteWriteSpec();
    remoteWrite.url = "https://metrics.example.com/api/v1/write";
    remoteWrite.tlsConfig = new TLSConfig();
    remoteWrite.tlsConfig.caFile = "/etc/ssl/certs/ca-certificates.crt";
    stack.getSpec().scraper.remoteWrite = List.of(remoteWrite);
    var result = build(stack, monitor("team-a", new Endpoint()), PLATFORM_IS_MONITORING);
    assertThat(result.problems()).isEmpty();
    assertThat(result.config().remoteWrite()).hasSize(1);
  }
}
