package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operator.http.HttpLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void defaultsWatchEverythingWithLeaderElection() {
    OperatorConfig config = OperatorConfig.from(List.of(), Map.of());
    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseName()).isEqualTo("vigil-operator-lock");
    assertThat(config.leaseNamespace()).isEqualTo("vigil-system");
    assertThat(config.logLevel()).isEqualTo("info");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.prometheusOperatorObjects()).isFalse();
  }

  @Test
  void theOperatorsNamespaceIsAlwaysAPlatformNamespaceAndFilePathsAreRefused() {
    OperatorConfig defaults = OperatorConfig.from(List.of(), Map.of("POD_NAMESPACE", "vigil"));
    assertThat(defaults.tenancy().platformNamespaces()).containsExactly("vigil");
    assertThat(defaults.tenancy().isPlatform("monitoring")).isFalse();
    assertThat(defaults.tenancy().allowFilePaths()).isFalse();
    assertThat(defaults.tenancy().namespaceOptIn()).isFalse();

    OperatorConfig named =
        OperatorConfig.from(
            List.of("--platform-namespaces=monitoring, ops", "--allow-file-paths=true"),
            Map.of("POD_NAMESPACE", "vigil", "VIGIL_NAMESPACE_OPT_IN", "true"));
    assertThat(named.tenancy().platformNamespaces()).containsExactly("monitoring", "ops", "vigil");
    assertThat(named.tenancy().allowFilePaths()).isTrue();
    assertThat(named.tenancy().namespaceOptIn()).isTrue();

    OperatorConfig everyNamespace =
        OperatorConfig.from(List.of(), Map.of("VIGIL_PLATFORM_NAMESPACES", "*"));
    assertThat(everyNamespace.tenancy().isPlatform("team-a")).isTrue();

    assertThatThrownBy(() -> OperatorConfig.from(List.of("--platform-namespaces=Team_A"), Map.of()))
        .hasMessageContaining("platform-namespaces must be namespace names or *, got Team_A");
  }

  @Test
  void prometheusOperatorObjectsAreOptIn() {
    assertThat(
            OperatorConfig.from(List.of("--prometheus-operator-objects=true"), Map.of())
                .prometheusOperatorObjects())
        .isTrue();
    assertThat(
            OperatorConfig.from(List.of(), Map.of("VIGIL_PROMETHEUS_OPERATOR_OBJECTS", "TRUE"))
                .prometheusOperatorObjects())
        .isTrue();
    assertThatThrownBy(
            () -> OperatorConfig.from(List.of("--prometheus-operator-objects=yes"), Map.of()))
        .hasMessageContaining("prometheus-operator-objects must be true or false");
  }

  @Test
  void environmentIsReadAndFlagsWin() {
    OperatorConfig config =
        OperatorConfig.from(
            List.of("--http-port=9090", "--watch-namespaces=b, a"),
            Map.of(
                "VIGIL_HTTP_PORT", "7070",
                "VIGIL_LEADER_ELECTION", "false",
                "VIGIL_LOG_LEVEL", "DEBUG",
                "POD_NAMESPACE", "ops"));
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.logLevel()).isEqualTo("debug");
    assertThat(config.leaseNamespace()).isEqualTo("ops");
  }

  @Test
  void mistakesSayWhatIsWrong() {
    assertThatThrownBy(() -> OperatorConfig.from(List.of("--nope=1"), Map.of()))
        .hasMessageContaining("unknown flag --nope");
    assertThatThrownBy(() -> OperatorConfig.from(List.of("--http-port=x"), Map.of()))
        .hasMessageContaining("http-port must be a number");
    assertThatThrownBy(() -> OperatorConfig.from(List.of(), Map.of("VIGIL_LOG_LEVEL", "loud")))
        .hasMessageContaining("log-level must be one of");
    assertThatThrownBy(() -> OperatorConfig.from(List.of("verbose"), Map.of()))
        .hasMessageContaining("expected --name=value");
  }

  @Test
  void leaseTimingsDefaultToJosdksAndMustNest() {
    OperatorConfig defaults = OperatorConfig.from(List.of(), Map.of());
    assertThat(defaults.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(defaults.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    OperatorConfig widened =
        OperatorConfig.from(
            List.of("--lease-duration=1m", "--renew-deadline=45s", "--retry-period=500ms"),
            Map.of());
    assertThat(widened.leaseDuration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(widened.renewDeadline()).isEqualTo(Duration.ofSeconds(45));
    assertThat(widened.retryPeriod()).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> OperatorConfig.from(List.of("--renew-deadline=20s"), Map.of()))
        .hasMessageContaining("lease-duration must be longer than renew-deadline");
    assertThatThrownBy(() -> OperatorConfig.from(List.of("--retry-period=10s"), Map.of()))
        .hasMessageContaining("renew-deadline longer than retry-period");
    assertThatThrownBy(() -> OperatorConfig.from(List.of("--lease-duration=15"), Map.of()))
        .hasMessageContaining("lease-duration must be a positive duration");
    assertThatThrownBy(() -> OperatorConfig.from(List.of("--retry-period=0s"), Map.of()))
        .hasMessageContaining("retry-period must be a positive duration");
  }

  @Test
  void usageListsEveryFlagAndVariable() {
    assertThat(OperatorConfig.usage())
        .contains("--watch-namespaces", "VIGIL_WATCH_NAMESPACES", "--http-port", "VIGIL_LOG_LEVEL")
        .contains("--prometheus-operator-objects", "VIGIL_PROMETHEUS_OPERATOR_OBJECTS");
  }

  @Test
  void httpLimitsDefaultAndAreWholeSeconds() {
    OperatorConfig defaults = OperatorConfig.from(List.of(), Map.of());
    assertThat(defaults.httpLimits()).isEqualTo(HttpLimits.DEFAULT);
    assertThat(defaults.httpLimits())
        .isEqualTo(new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 512));
    OperatorConfig tuned =
        OperatorConfig.from(
            List.of(
                "--http-request-timeout=5s",
                "--http-response-timeout=1m",
                "--http-max-connections=2000"),
            Map.of());
    assertThat(tuned.httpLimits())
        .isEqualTo(new HttpLimits(Duration.ofSeconds(5), Duration.ofMinutes(1), 2000));
    assertThatThrownBy(
            () -> OperatorConfig.from(List.of("--http-request-timeout=1500ms"), Map.of()))
        .hasMessageContaining("http-request-timeout must be whole seconds");
    assertThatThrownBy(() -> OperatorConfig.from(List.of("--http-max-connections=4"), Map.of()))
        .hasMessageContaining("http-max-connections must be a number from 16");
  }

  @Test
  void serviceDiscoverySharesTheHttpPortUnlessItHasItsOwnOrServesTls() {
    OperatorConfig shared = OperatorConfig.from(List.of(), Map.of());
    assertThat(shared.serviceDiscoveryPort()).isEqualTo(-1);
    assertThat(shared.serviceDiscoveryTlsSecret()).isNull();
    assertThat(
            OperatorConfig.from(List.of("--service-discovery-port=8080"), Map.of())
                .serviceDiscoveryPort())
        .as("the http-port is sharing")
        .isEqualTo(-1);
    assertThat(
            OperatorConfig.from(List.of("--service-discovery-port=8081"), Map.of())
                .serviceDiscoveryPort())
        .isEqualTo(8081);

    OperatorConfig tls =
        OperatorConfig.from(
            List.of(
                "--service-discovery-tls-secret=vigil-sd-tls",
                "--service-discovery-url=https://vigil-operator.ops.svc:8443"),
            Map.of("POD_NAMESPACE", "ops"));
    assertThat(tls.serviceDiscoveryPort()).isEqualTo(OperatorConfig.DEFAULT_TLS_PORT);
    assertThat(tls.serviceDiscoveryTlsSecret())
        .isEqualTo(new OperatorConfig.SecretName("ops", "vigil-sd-tls"));
    assertThat(
            OperatorConfig.from(
                    List.of(
                        "--service-discovery-tls-secret=certs/sd",
                        "--service-discovery-url=https://sd.example:9443",
                        "--service-discovery-port=9443"),
                    Map.of())
                .serviceDiscoveryTlsSecret())
        .isEqualTo(new OperatorConfig.SecretName("certs", "sd"));

    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    List.of("--service-discovery-tls-secret=vigil-sd-tls"), Map.of()))
        .hasMessageContaining("service-discovery-url must be https://");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    List.of(
                        "--service-discovery-tls-secret=vigil-sd-tls",
                        "--service-discovery-url=https://vigil-operator.vigil-system.svc:8080",
                        "--service-discovery-port=8080"),
                    Map.of()))
        .hasMessageContaining("service-discovery-port must differ from http-port");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    List.of(
                        "--service-discovery-tls-secret=a/b/c",
                        "--service-discovery-url=https://x:8443"),
                    Map.of()))
        .hasMessageContaining("a Secret's name or namespace/name");
  }
}
