package dev.vigil.operator.reloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReloaderConfigTest {
  @Test
  void defaultsNeedOnlyTheSecretAndANamespace() {
    ReloaderConfig config =
        ReloaderConfig.from(List.of("--secret=prometheus-main"), Map.of("POD_NAMESPACE", "mon"));
    assertThat(config.namespace()).isEqualTo("mon");
    assertThat(config.secret()).isEqualTo("prometheus-main");
    assertThat(config.key()).isEqualTo("prometheus.yml.gz");
    assertThat(config.output()).isEqualTo(Path.of("/etc/prometheus/config_out/prometheus.yml"));
    assertThat(config.configMaps()).isEmpty();
    assertThat(config.rulesDir()).isEqualTo(Path.of("/etc/prometheus/rules"));
    assertThat(config.reloadUrl()).isEqualTo(URI.create("http://127.0.0.1:9090/-/reload"));
    assertThat(config.reloadTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.once()).isFalse();
    assertThat(config.onceTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.httpPort()).isEqualTo(8081);
    assertThat(config.logLevel()).isEqualTo("info");
  }

  @Test
  void flagsOfTheIssueParse() {
    ReloaderConfig config =
        ReloaderConfig.from(
            List.of(
                "--namespace=monitoring",
                "--secret=s",
                "--key=prometheus.yml",
                "--output=/tmp/out/prometheus.yml",
                "--reload-url=http://127.0.0.1:9091/-/reload",
                "--once",
                "--http-port=0"),
            Map.of());
    assertThat(config.namespace()).isEqualTo("monitoring");
    assertThat(config.output()).isEqualTo(Path.of("/tmp/out/prometheus.yml"));
    assertThat(config.reloadUrl().getPort()).isEqualTo(9091);
    assertThat(config.once()).isTrue();
    assertThat(config.httpPort()).isZero();
  }

  @Test
  void environmentIsReadAndFlagsWin() {
    ReloaderConfig config =
        ReloaderConfig.from(
            List.of("--http-port=9000", "--once=false"),
            Map.of(
                "VIGIL_RELOADER_NAMESPACE", "ns",
                "VIGIL_RELOADER_SECRET", "from-env",
                "VIGIL_RELOADER_HTTP_PORT", "7000",
                "VIGIL_RELOADER_ONCE", "true",
                "VIGIL_RELOADER_RELOAD_TIMEOUT", "500ms",
                "VIGIL_RELOADER_LOG_LEVEL", "DEBUG",
                "POD_NAMESPACE", "ignored"));
    assertThat(config.namespace()).isEqualTo("ns");
    assertThat(config.secret()).isEqualTo("from-env");
    assertThat(config.httpPort()).isEqualTo(9000);
    assertThat(config.once()).isFalse();
    assertThat(config.reloadTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.logLevel()).isEqualTo("debug");
  }

  @Test
  void configMapsRepeatOrComeCommaSeparatedAndAreSorted() {
    ReloaderConfig flags =
        ReloaderConfig.from(
            List.of(
                "--namespace=n",
                "--secret=s",
                "--config-map=rules-1",
                "--config-map=rules-0",
                "--rules-dir=/r"),
            Map.of());
    assertThat(flags.configMaps()).containsExactly("rules-0", "rules-1");
    assertThat(flags.ruleDirectory("rules-0")).isEqualTo(Path.of("/r/rules-0"));
    ReloaderConfig env =
        ReloaderConfig.from(
            List.of("--namespace=n", "--secret=s"), Map.of("VIGIL_RELOADER_CONFIG_MAP", "b, a,"));
    assertThat(env.configMaps()).containsExactly("a", "b");
  }

  @Test
  void mistakesSayWhatIsWrong() {
    assertThatThrownBy(() -> ReloaderConfig.from(List.of("--secret=s"), Map.of()))
        .hasMessageContaining("--namespace is required");
    assertThatThrownBy(() -> ReloaderConfig.from(List.of("--namespace=n"), Map.of()))
        .hasMessageContaining("--secret is required");
    assertThatThrownBy(() -> ReloaderConfig.from(List.of("--sekret=s"), Map.of()))
        .hasMessageContaining("unknown flag --sekret");
    assertThatThrownBy(() -> ReloaderConfig.from(List.of("--secret"), Map.of()))
        .hasMessageContaining("expected --secret=value");
    assertThatThrownBy(
            () ->
                ReloaderConfig.from(List.of("--namespace=n", "--secret=s", "--once=yes"), Map.of()))
        .hasMessageContaining("once must be true or false");
    assertThatThrownBy(
            () ->
                ReloaderConfig.from(
                    List.of("--namespace=n", "--secret=s", "--reload-timeout=2 minutes"), Map.of()))
        .hasMessageContaining("reload-timeout must be a duration");
    assertThatThrownBy(
            () ->
                ReloaderConfig.from(
                    List.of("--namespace=n", "--secret=s", "--reload-url=unix:/x"), Map.of()))
        .hasMessageContaining("reload-url must be http or https");
    assertThatThrownBy(
            () ->
                ReloaderConfig.from(
                    List.of("--namespace=n", "--secret=s", "--http-port=70000"), Map.of()))
        .hasMessageContaining("between 0 and 65535");
  }

  @Test
  void helpListsEveryFlagWithItsVariable() {
    String usage = ReloaderConfig.usage();
    for (String flag : ReloaderConfig.SETTINGS.keySet()) {
      assertThat(usage).contains("--" + flag);
    }
    assertThat(usage).contains("VIGIL_RELOADER_RELOAD_URL").contains("VIGIL_RELOADER_CONFIG_MAP");
  }
}
