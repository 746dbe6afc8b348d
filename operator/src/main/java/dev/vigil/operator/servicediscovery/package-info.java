/**
 * Prometheus HTTP service discovery served by the operator: {@code GET
 * /sd/v1/{namespace}/{stack}/{shard}/{job}} answers the target groups of one job of one shard, only
 * to that stack's own Prometheus (per-stack bearer token), with ETag/304 and gzip; over HTTPS with
 * the certificate of a Secret ({@link dev.vigil.operator.http.CertificateSecret}) when configured.
 */
package dev.vigil.operator.servicediscovery;
