package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/**
 * Datadog's OTLP intake, for any kind whose collectors export to Datadog (a TracingPipeline's
 * spans, later a LogPipeline's logs): the organization's site and an API key read from a Secret.
 * The collector sends OTLP over HTTP (protobuf) to the site's intake; no Datadog Agent is needed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatadogExporterSpec {
  @JsonPropertyDescription(
      "Datadog site of the organization (the domain of its Datadog URL): datadoghq.com (US1,"
          + " default), us3.datadoghq.com, us5.datadoghq.com, datadoghq.eu, ap1.datadoghq.com or"
          + " ap2.datadoghq.com. ddog-gov.com has no OTLP intake.")
  @Default("datadoghq.com")
  public Site site = Site.US1;

  @Required
  @JsonPropertyDescription(
      "Secret key holding the Datadog API key (not an application key), sent as the dd-api-key"
          + " header.")
  public SecretKeySelector apiKey;

  @Size(max = 2048)
  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription(
      "Base URL to send to instead of the site's intake, e.g. a proxy or a Datadog Agent's OTLP"
          + " HTTP receiver (http://datadog-agent.datadog:4318); /v1/traces, /v1/logs and"
          + " /v1/metrics are appended.")
  public String endpoint;

  /** The Datadog sites that have an OTLP intake, by the domain their users write. */
  public enum Site {
    @JsonProperty("datadoghq.com")
    US1("datadoghq.com"),
    @JsonProperty("us3.datadoghq.com")
    US3("us3.datadoghq.com"),
    @JsonProperty("us5.datadoghq.com")
    US5("us5.datadoghq.com"),
    @JsonProperty("datadoghq.eu")
    EU1("datadoghq.eu"),
    @JsonProperty("ap1.datadoghq.com")
    AP1("ap1.datadoghq.com"),
    @JsonProperty("ap2.datadoghq.com")
    AP2("ap2.datadoghq.com");

    private final String domain;

    Site(String domain) {
      this.domain = domain;
    }

    /** The site's domain, as written in the spec, e.g. {@code datadoghq.eu}. */
    public String domain() {
      return domain;
    }
  }
}
