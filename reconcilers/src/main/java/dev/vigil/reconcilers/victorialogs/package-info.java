/**
 * The names and addresses of the VictoriaLogs a LogPipeline runs, in one place: the LogPipeline's
 * dependents name its objects with them and a stack's Grafana points its log data sources at them.
 */
package dev.vigil.reconcilers.victorialogs;
