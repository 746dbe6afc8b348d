/**
 * The configuration files of a TracingPipeline, as pure renderers in the pattern of the Prometheus
 * and Alertmanager ones: {@link
 * dev.vigil.reconcilers.tracingpipeline.config.CollectorConfigBuilder} turns a pipeline and {@link
 * dev.vigil.reconcilers.tracingpipeline.config.CollectorConfigInputs} into the typed {@link
 * dev.vigil.reconcilers.tracingpipeline.config.CollectorConfig} of its OpenTelemetry collectors
 * (plus the Secret keys to mount, the environment variables to set, the ports to expose and the
 * problems found), and {@link dev.vigil.reconcilers.tracingpipeline.config.JaegerConfigBuilder} the
 * {@link dev.vigil.reconcilers.tracingpipeline.config.JaegerConfig} of its Jaeger v2 backend. Both
 * are written as YAML by {@link
 * dev.vigil.reconcilers.tracingpipeline.config.CollectorConfigRenderer} and {@link
 * dev.vigil.reconcilers.tracingpipeline.config.JaegerConfigRenderer}. {@link
 * dev.vigil.reconcilers.tracingpipeline.config.TracingNames} names the Services the files point at.
 *
 * <p>A sub-package of the kind's package, so the reconciler and its dependents (in {@code
 * dev.vigil.reconcilers.tracingpipeline}) use the renderers through their public API only.
 */
package dev.vigil.reconcilers.tracingpipeline.config;
