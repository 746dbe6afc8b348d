package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What a stack's Grafana is made from, computed once per reconcile when it is enabled: the
 * provisioning files, the dashboards packed into ConfigMaps, and the dashboards left out.
 *
 * @param datasources {@code datasources.yaml}
 * @param dashboardProvider {@code dashboards.yaml}
 * @param dashboards the data of each dashboards ConfigMap (file name → JSON), in order
 * @param dashboardCount dashboards loaded, Vigil's and the users'
 * @param problems dashboards left out, and why
 */
public record GrafanaPlan(
    MonitoringStack stack,
    String datasources,
    String dashboardProvider,
    List<Map<String, String>> dashboards,
    int dashboardCount,
    List<String> problems) {
  static final String CONTEXT_KEY = GrafanaPlan.class.getName();

  public GrafanaPlan {
    dashboards = List.copyOf(dashboards);
    problems = List.copyOf(problems);
  }

  static GrafanaPlan of(Context<MonitoringStack> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, GrafanaPlan.class);
  }

  /** Changes when the datasources do: Grafana reads them only at start. */
  String datasourcesHash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((datasources + dashboardProvider).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
