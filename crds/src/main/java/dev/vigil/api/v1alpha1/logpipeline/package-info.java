/**
 * The {@code LogPipeline} kind: node agents that read every selected pod's log files, enrich them
 * with Kubernetes metadata, and send them to a VictoriaLogs Vigil runs, to OTLP endpoints or to
 * Datadog (docs/logpipeline.md).
 */
package dev.vigil.api.v1alpha1.logpipeline;
