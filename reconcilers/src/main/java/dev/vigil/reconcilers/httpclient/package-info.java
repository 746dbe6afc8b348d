/**
 * The HTTP client settings Prometheus, Alertmanager and the OpenTelemetry Collector's Prometheus
 * components share (prometheus/common's {@code HTTPClientConfig}): authentication, TLS and proxy,
 * every credential a {@code *_file} path. Records only, written by each tool's YAML renderer.
 */
package dev.vigil.reconcilers.httpclient;
