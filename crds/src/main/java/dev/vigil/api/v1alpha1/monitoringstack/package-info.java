/**
 * MonitoringStack: "run a monitoring stack here". Sharded Prometheus scrapers fed by Vigil's
 * discovery, and optionally Alertmanager, Grafana, node agents, kube-state-metrics and a Thanos
 * query view. One small type per spec section.
 */
package dev.vigil.api.v1alpha1.monitoringstack;
