/**
 * TracingPipeline: OpenTelemetry collectors (a gateway Deployment or node agents) that receive,
 * sample and enrich spans, and export them to OTLP endpoints or a Jaeger backend Vigil runs.
 */
package dev.vigil.api.v1alpha1.tracingpipeline;
