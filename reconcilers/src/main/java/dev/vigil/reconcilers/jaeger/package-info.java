/**
 * The configuration of the Jaeger v2 backend a TracingPipeline may run: {@link
 * dev.vigil.reconcilers.jaeger.JaegerConfigBuilder} turns a pipeline into the typed {@link
 * dev.vigil.reconcilers.jaeger.JaegerConfig}, which {@link
 * dev.vigil.reconcilers.jaeger.JaegerConfigRenderer} writes as YAML.
 *
 * <p>Jaeger v2 is an OpenTelemetry Collector distribution, so its file shares the records of {@link
 * dev.vigil.reconcilers.collector}: this package imports that one, never the other way round.
 */
package dev.vigil.reconcilers.jaeger;
