/**
 * Instrumentation: how pods that ask for it are given the OpenTelemetry SDK of their language (an
 * init container copying the agent into a shared volume, and the environment that loads it), and
 * where their spans go (a TracingPipeline or an OTLP endpoint).
 */
package dev.vigil.api.v1alpha1.instrumentation;
