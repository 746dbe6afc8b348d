/**
 * The OpenTelemetry Collector's configuration, as a pure renderer in the pattern of the Prometheus
 * and Alertmanager ones: {@link dev.vigil.reconcilers.collector.CollectorConfigBuilder} turns a
 * pipeline and {@link dev.vigil.reconcilers.collector.CollectorConfigInputs} into the typed {@link
 * dev.vigil.reconcilers.collector.CollectorConfig} of its collectors (plus the Secret keys to
 * mount, the environment variables to set, the ports to expose, the read access {@code
 * k8s_attributes} needs and the problems found), which {@link
 * dev.vigil.reconcilers.collector.CollectorConfigRenderer} writes as YAML.
 *
 * <p>Below every kind's package: it imports none of them, so any kind that runs collectors uses it
 * through its public API.
 */
package dev.vigil.reconcilers.collector;
