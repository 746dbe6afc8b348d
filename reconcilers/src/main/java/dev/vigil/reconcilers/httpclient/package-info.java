/**
 * The HTTP client settings Prometheus, Alertmanager and the OpenTelemetry Collector's Prometheus
 * components share (prometheus/common's {@code HTTPClientConfig}): authentication, TLS and proxy,
 * every credential a {@code *_file} path. Records only, written by each tool's YAML renderer; and
 * {@link dev.vigil.reconcilers.httpclient.HttpUrls}, whether a URL is one those tools can call.
 */
package dev.vigil.reconcilers.httpclient;
