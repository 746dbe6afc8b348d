/**
 * MonitoringStack: its reconciler and the pure pipeline that writes each shard's {@code
 * prometheus.yml}: {@link dev.vigil.reconcilers.monitoringstack.PrometheusConfigBuilder} turns the
 * stack, its monitors and {@link dev.vigil.reconcilers.monitoringstack.PrometheusConfigInputs} into
 * the typed {@link dev.vigil.reconcilers.monitoringstack.PrometheusConfig} (plus the Secret and
 * ConfigMap keys to mount, see {@link dev.vigil.reconcilers.monitoringstack.MountedKey}, and the
 * problems found), and {@link dev.vigil.reconcilers.monitoringstack.PrometheusConfigRenderer}
 * writes it as bytes.
 */
package dev.vigil.reconcilers.monitoringstack;
