/**
 * MonitoringStack: its reconciler, one dependent resource per object it deploys (Prometheus shards,
 * Alertmanager, Grafana, node-exporter, kube-state-metrics, Thanos Query) and the plans that decide
 * them ({@link dev.vigil.reconcilers.monitoringstack.ScraperPlan}, {@link
 * dev.vigil.reconcilers.monitoringstack.AlertmanagerPlan}, {@link
 * dev.vigil.reconcilers.monitoringstack.GrafanaPlan}). What the files contain is written by the
 * pure renderers of {@code prometheus}, {@code alertmanager} and {@code grafana}.
 */
package dev.vigil.reconcilers.monitoringstack;
