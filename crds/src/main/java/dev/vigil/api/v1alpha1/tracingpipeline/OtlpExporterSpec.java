package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.List;

/** An OTLP destination; header values and TLS material come from Secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.protocol != 'http' || self.endpoint.startsWith('http://') || self.endpoint.startsWith('https://')",
    message =
        "exporters.otlp[].endpoint: an http exporter needs a URL starting with http:// or https://")
public class OtlpExporterSpec {
  @Required
  @Size(min = 1, max = 32)
  @Pattern("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the exporter, unique in the pipeline (lower-case DNS label).")
  public String name;

  @Required
  @Size(min = 1, max = 2048)
  @JsonPropertyDescription(
      "Where to send: host:port for grpc (e.g. tempo.tracing:4317), a URL for http (e.g."
          + " https://api.honeycomb.io).")
  public String endpoint;

  @JsonPropertyDescription("grpc (default) or http.")
  @Default("grpc")
  public Protocol protocol = Protocol.grpc;

  @JsonPropertyDescription("Send without TLS. Default: false.")
  public Boolean insecure;

  @JsonPropertyDescription("TLS settings, files mounted from Secrets.")
  public OtlpTlsSpec tls;

  @JsonPropertyDescription("Headers sent with every request, e.g. an API key from a Secret.")
  @Size(max = 20)
  public List<HeaderSpec> headers;

  @JsonPropertyDescription("Compression: gzip (default), zstd, snappy or none.")
  public Compression compression;

  /** OTLP transports. */
  public enum Protocol {
    grpc,
    http
  }

  /** Compression an OTLP exporter can use. */
  public enum Compression {
    gzip,
    zstd,
    snappy,
    none
  }

  /** A header with a literal value or one read from a Secret. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.value) != has(self.valueFrom)",
      message = "headers: set exactly one of value or valueFrom (use valueFrom for credentials)")
  public static class HeaderSpec {
    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription("Header name.")
    public String name;

    @JsonPropertyDescription("Header value, stored in plain text. Use valueFrom for credentials.")
    public String value;

    @JsonPropertyDescription("Secret key holding the header value.")
    public SecretKeySelector valueFrom;
  }

  /** TLS of an OTLP exporter. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.cert) == has(self.key)",
      message = "tls: a client certificate (cert) needs its key (key), and the other way round")
  public static class OtlpTlsSpec {
    @JsonPropertyDescription("Secret key holding the CA certificate.")
    public SecretKeySelector ca;

    @JsonPropertyDescription("Secret key holding the client certificate.")
    public SecretKeySelector cert;

    @JsonPropertyDescription("Secret key holding the client key.")
    public SecretKeySelector key;

    @JsonPropertyDescription("Server name to verify.")
    public String serverName;

    @JsonPropertyDescription("Skip certificate verification. Avoid in production.")
    public Boolean insecureSkipVerify;
  }
}
