package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.grafana.DatasourcesBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Grafana downloads plugins only when a provisioned data source needs one. */
class GrafanaDeploymentTest {
  @Test
  void withoutPluginsGrafanaInstallsNothing() {
    assertThat(GrafanaDeployment.pluginEnv(List.of()))
        .containsExactly(new EnvVar("GF_PLUGINS_PREINSTALL_DISABLED", "true", null));
  }

  @Test
  void aLogDatasourceInstallsTheVictoriaLogsPlugin() {
    // preinstall_disabled would turn GF_PLUGINS_PREINSTALL off too: it is left out.
    assertThat(GrafanaDeployment.pluginEnv(List.of(DatasourcesBuilder.VICTORIA_LOGS_PLUGIN)))
        .containsExactly(
            new EnvVar("GF_PLUGINS_PREINSTALL", "victoriametrics-logs-datasource", null));
  }
}
