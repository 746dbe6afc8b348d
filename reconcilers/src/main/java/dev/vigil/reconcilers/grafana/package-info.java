/**
 * The pure parts of a stack's Grafana: {@link dev.vigil.reconcilers.grafana.GrafanaProvisioning}
 * writes the data source file ({@link dev.vigil.reconcilers.grafana.DatasourcesBuilder} builds its
 * model from {@link dev.vigil.reconcilers.grafana.DatasourceInputs}, with UIDs from {@link
 * dev.vigil.reconcilers.grafana.GrafanaUids}) and the dashboard provider file; {@link
 * dev.vigil.reconcilers.grafana.ShippedDashboards} are the dashboards Vigil ships; {@link
 * dev.vigil.reconcilers.grafana.DashboardConfigMaps} gathers the dashboards of labelled ConfigMaps,
 * leaving out and reporting the bad ones. No API calls: the dependents that mount these files live
 * beside the MonitoringStack reconciler.
 */
package dev.vigil.reconcilers.grafana;
