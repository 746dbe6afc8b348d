/**
 * The YAML writer of every file Vigil renders for a tool to read (Prometheus, rule files,
 * Alertmanager, the OpenTelemetry Collector, Jaeger, Grafana provisioning): one set of quoting and
 * ordering rules, so the same model always gives the same bytes.
 */
package dev.vigil.reconcilers.yaml;
