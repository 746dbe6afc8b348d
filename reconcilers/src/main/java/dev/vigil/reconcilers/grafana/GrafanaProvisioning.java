package dev.vigil.reconcilers.grafana;

import dev.vigil.reconcilers.grafana.DashboardProviders.Options;
import dev.vigil.reconcilers.grafana.DashboardProviders.Provider;
import java.util.List;

/**
 * The provisioning files of a stack's Grafana, as text, and where they go. Pure: same inputs, same
 * bytes.
 *
 * <ul>
 *   <li>{@link #DATASOURCES_FILE} in {@link #DATASOURCES_DIR}: {@link #datasources}.
 *   <li>{@link #DASHBOARDS_FILE} in {@link #DASHBOARD_PROVIDERS_DIR}: {@link #dashboardProvider},
 *       one file provider reading {@link #DASHBOARDS_DIR}, each sub-directory a Grafana folder:
 *       {@link ShippedDashboards#all()} go to {@link #SHIPPED_FOLDER}, the dashboards of labelled
 *       ConfigMaps ({@link DashboardConfigMaps}) to {@link #CONFIGMAP_FOLDER}.
 * </ul>
 */
public final class GrafanaProvisioning {
  public static final String DATASOURCES_DIR = "/etc/grafana/provisioning/datasources";
  public static final String DATASOURCES_FILE = "datasources.yaml";
  public static final String DASHBOARD_PROVIDERS_DIR = "/etc/grafana/provisioning/dashboards";
  public static final String DASHBOARDS_FILE = "dashboards.yaml";

  /** The directory the dashboard provider reads; one sub-directory per Grafana folder. */
  public static final String DASHBOARDS_DIR = "/var/lib/grafana/dashboards";

  /** The Grafana folder of the dashboards Vigil ships. */
  public static final String SHIPPED_FOLDER = "Vigil";

  /** The Grafana folder of the dashboards from labelled ConfigMaps. */
  public static final String CONFIGMAP_FOLDER = "Kubernetes";

  static final int UPDATE_INTERVAL_SECONDS = 30;

  private GrafanaProvisioning() {}

  /** {@code datasources.yaml} for these inputs; {@link DatasourcesBuilder} reports problems. */
  public static String datasources(DatasourceInputs inputs) {
    return render(DatasourcesBuilder.build(inputs).datasources());
  }

  /** {@code datasources.yaml} of a built model. */
  public static String render(Datasources datasources) {
    return GrafanaYaml.write(datasources, DATASOURCES_FILE);
  }

  /** {@code dashboards.yaml}: the same for every stack. */
  public static String dashboardProvider() {
    return GrafanaYaml.write(dashboardProviders(), DASHBOARDS_FILE);
  }

  /** The model of {@link #dashboardProvider()}. */
  public static DashboardProviders dashboardProviders() {
    return new DashboardProviders(
        1,
        List.of(
            new Provider(
                "vigil",
                1,
                "file",
                false,
                false,
                UPDATE_INTERVAL_SECONDS,
                new Options(DASHBOARDS_DIR, true))));
  }

  /** Where the files of a Grafana folder are mounted: {@code <DASHBOARDS_DIR>/<folder>}. */
  public static String dashboardFolder(String folder) {
    return DASHBOARDS_DIR + "/" + folder;
  }
}
