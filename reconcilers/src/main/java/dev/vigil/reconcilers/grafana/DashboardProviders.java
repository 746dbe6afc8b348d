package dev.vigil.reconcilers.grafana;

import java.util.List;

/**
 * The typed model of Grafana's dashboard provisioning file ({@code dashboards.yaml}, {@code
 * apiVersion: 1}); camelCase keys in declaration order.
 */
public record DashboardProviders(int apiVersion, List<Provider> providers) {
  public DashboardProviders {
    providers = List.copyOf(providers);
  }

  /**
   * A provider of dashboards.
   *
   * @param disableDeletion false: a dashboard whose file is gone is deleted from Grafana
   * @param allowUiUpdates false: the files own the dashboards; a change saved in the UI is refused
   * @param updateIntervalSeconds how often Grafana reads the directory again, which picks up
   *     ConfigMap volume updates without a restart
   */
  public record Provider(
      String name,
      int orgId,
      String type,
      boolean disableDeletion,
      boolean allowUiUpdates,
      int updateIntervalSeconds,
      Options options) {}

  /**
   * @param foldersFromFilesStructure each sub-directory of {@code path} becomes a Grafana folder of
   *     its name
   */
  public record Options(String path, boolean foldersFromFilesStructure) {}
}
