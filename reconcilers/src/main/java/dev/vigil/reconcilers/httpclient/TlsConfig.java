package dev.vigil.reconcilers.httpclient;

/** {@code tls_config}. */
public record TlsConfig(
    String caFile,
    String certFile,
    String keyFile,
    String serverName,
    Boolean insecureSkipVerify,
    String minVersion,
    String maxVersion) {}
