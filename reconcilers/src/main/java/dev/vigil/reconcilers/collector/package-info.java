/**
 * The OpenTelemetry Collector's configuration, as a pure renderer in the pattern of the Prometheus
 * and Alertmanager ones: {@link dev.vigil.reconcilers.collector.CollectorConfigBuilder} turns a
 * pipeline and {@link dev.vigil.reconcilers.collector.CollectorConfigInputs} into the typed {@link
 * dev.vigil.reconcilers.collector.CollectorConfig} of its collectors (plus the Secret keys to
 * mount, the environment variables to set, the ports to expose, the read access {@code
 * k8s_attributes} needs and the problems found), which {@link
 * dev.vigil.reconcilers.collector.CollectorConfigRenderer} writes as YAML.
 *
 * <p>The builder composes one class per section of the file: {@code CollectorReceivers}, {@code
 * CollectorProcessors} (with {@code K8sAttributesProcessor} and {@code TailSamplingPolicies}),
 * {@code CollectorExporters} (with {@code SecretReferences}, and {@link
 * dev.vigil.reconcilers.collector.DatadogIntake} for Datadog's OTLP intake, which kinds that send
 * logs or metrics can reuse), {@code CollectorPipelines} (the {@code service} section), and {@code
 * KubernetesAccessRules}, the ClusterRole rules the file needs. {@link
 * dev.vigil.reconcilers.collector.CollectorNames} names the collectors' Service that a gateway's
 * agents export to.
 *
 * <p>Below every kind's package and below {@code jaeger} (Jaeger v2 is a collector distribution
 * whose file shares these records): it imports none of them. What it needs from above, such as
 * where the Jaeger backend listens, its caller passes in.
 */
package dev.vigil.reconcilers.collector;
