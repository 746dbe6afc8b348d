/**
 * The pure pipeline that writes a stack's {@code prometheus.yml}: {@link
 * dev.vigil.reconcilers.prometheus.PrometheusConfigBuilder} turns a stack, its monitors and {@link
 * dev.vigil.reconcilers.prometheus.PrometheusConfigInputs} into the typed {@link
 * dev.vigil.reconcilers.prometheus.PrometheusConfig} (plus the Secret and ConfigMap keys to mount
 * and the problems found), and {@link dev.vigil.reconcilers.prometheus.PrometheusConfigRenderer}
 * writes it as bytes; {@link dev.vigil.reconcilers.prometheus.JobRelabelings} gives the operator
 * each job's relabeling from the same records. Used by the MonitoringStack reconciler, by the
 * monitors' acceptance, and by the operator's discovery.
 */
package dev.vigil.reconcilers.prometheus;
