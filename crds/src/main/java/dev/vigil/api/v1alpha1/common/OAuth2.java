package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.List;
import java.util.Map;

/** OAuth 2.0 client credentials, as prometheus-operator's OAuth2. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OAuth2 {
  @Required
  @JsonPropertyDescription("The client ID, from a Secret or a ConfigMap.")
  public SecretOrConfigMap clientId;

  @Required
  @JsonPropertyDescription("Secret key holding the client secret.")
  public SecretKeySelector clientSecret;

  @Required
  @Pattern("^(http|https)://.+$")
  @JsonPropertyDescription("The URL to fetch the token from.")
  public String tokenUrl;

  @JsonPropertyDescription("Scopes requested with the token.")
  public List<String> scopes;

  @JsonPropertyDescription("Extra parameters appended to the token URL.")
  public Map<String, String> endpointParams;
}
