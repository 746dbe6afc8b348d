package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.BasicAuth;
import dev.vigil.api.v1alpha1.common.OAuth2;
import dev.vigil.api.v1alpha1.common.Patterns;
import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.api.v1alpha1.common.SafeAuthorization;
import dev.vigil.api.v1alpha1.common.TLSConfig;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** One remote write destination; credentials come from Secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.basicAuth), has(self.authorization), has(self.oauth2)].filter(x, x).size() <= 1",
    message = "remoteWrite: set at most one of basicAuth, authorization and oauth2")
public class RemoteWriteSpec {
  @Required
  @Pattern("^(http|https)://.+$")
  @Size(max = 2048)
  @JsonPropertyDescription("URL of the remote write endpoint.")
  public String url;

  @JsonPropertyDescription("Name of the destination, shown in Prometheus's metrics.")
  @Size(max = 64)
  public String name;

  @JsonPropertyDescription("Timeout of one request. Default: 30s.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  public String remoteTimeout;

  @JsonPropertyDescription("Extra HTTP headers (not secrets: they are stored in the config).")
  public Map<String, String> headers;

  @JsonPropertyDescription("Relabeling applied to series before they are sent.")
  @Size(max = 100)
  public List<RelabelConfig> writeRelabelConfigs;

  @JsonPropertyDescription("Basic authentication.")
  public BasicAuth basicAuth;

  @JsonPropertyDescription("Authorization header.")
  public SafeAuthorization authorization;

  @JsonPropertyDescription("OAuth 2.0.")
  public OAuth2 oauth2;

  @JsonPropertyDescription("TLS settings.")
  public TLSConfig tlsConfig;

  @JsonPropertyDescription("Send exemplars too.")
  public Boolean sendExemplars;

  @JsonPropertyDescription("Send native histograms too.")
  public Boolean sendNativeHistograms;

  @JsonPropertyDescription("Queue tuning.")
  public QueueConfig queueConfig;
}
