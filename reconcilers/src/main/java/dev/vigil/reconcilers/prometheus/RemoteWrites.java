package dev.vigil.reconcilers.prometheus;

import static dev.vigil.reconcilers.prometheus.ScrapeJobs.nonEmpty;
import static dev.vigil.reconcilers.relabel.PrometheusDuration.millis;

import dev.vigil.api.v1alpha1.monitoringstack.RemoteWriteSpec;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.httpclient.HttpClient;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.QueueConfig;
import dev.vigil.reconcilers.prometheus.PrometheusConfig.RemoteWrite;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A {@code remote_write} entry from a stack's RemoteWriteSpec, credentials read from files. */
final class RemoteWrites {
  /** Headers Prometheus sets itself and refuses in {@code headers} (config/config.go). */
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "authorization",
          "host",
          "content-encoding",
          "content-length",
          "content-type",
          "user-agent",
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "www-authenticate",
          "accept-encoding",
          "x-prometheus-remote-write-version",
          "x-prometheus-remote-read-version");

  private RemoteWrites() {}

  /**
   * @param field the spec's path, for messages: {@code spec.scraper.remoteWrite[i]}
   * @param files references resolve in the stack's namespace
   * @throws PartLeftOut when Prometheus would refuse it
   */
  static RemoteWrite of(String field, RemoteWriteSpec spec, CredentialFiles files) {
    if (spec == null || nonEmpty(spec.url) == null) {
      throw new PartLeftOut(field + ".url is required");
    }
    long auths =
        Stream.of(spec.basicAuth, spec.authorization, spec.oauth2).filter(Objects::nonNull).count();
    if (auths > 1) {
      throw new PartLeftOut(field + ": set at most one of basicAuth, authorization and oauth2");
    }
    Map<String, String> headers = spec.headers == null ? null : new TreeMap<>(spec.headers);
    if (headers != null) {
      for (String header : headers.keySet()) {
        if (RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
          throw new PartLeftOut(
              field + ".headers: Prometheus sets " + header + " itself; remove it");
        }
      }
    }
    if (spec.remoteTimeout != null && millis(spec.remoteTimeout) < 0) {
      throw new PartLeftOut(
          field + ".remoteTimeout \"" + spec.remoteTimeout + "\" is not a Prometheus duration");
    }
    HttpClient http =
        new HttpClient(
            spec.basicAuth == null ? null : files.basicAuth(spec.basicAuth, field + ".basicAuth"),
            spec.authorization == null
                ? null
                : files.authorization(spec.authorization, field + ".authorization"),
            spec.oauth2 == null ? null : files.oauth2(spec.oauth2, field + ".oauth2"),
            files.tls(spec.tlsConfig, field + ".tlsConfig"),
            null,
            null,
            null,
            null,
            null);
    var queue = spec.queueConfig;
    return new RemoteWrite(
        spec.url,
        nonEmpty(spec.name),
        nonEmpty(spec.remoteTimeout),
        headers,
        StandardRelabelings.userRules(field + ".writeRelabelConfigs", spec.writeRelabelConfigs),
        http,
        spec.sendExemplars,
        spec.sendNativeHistograms,
        queue == null
            ? null
            : new QueueConfig(
                queue.capacity,
                queue.minShards,
                queue.maxShards,
                queue.maxSamplesPerSend,
                nonEmpty(queue.batchSendDeadline)));
  }
}
