package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Alertmanager's Opsgenie integration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OpsgenieReceiver {
  @Required
  @JsonPropertyDescription("Secret key holding the Opsgenie API key.")
  public SecretKeySelector apiKey;

  @JsonPropertyDescription("Opsgenie API URL. Default: Alertmanager's.")
  @Pattern("^(http|https)://.+$")
  public String apiUrl;

  @JsonPropertyDescription("Alert message (Alertmanager template).")
  public String message;

  @JsonPropertyDescription("Priority: P1 to P5.")
  @Pattern("^P[1-5]$")
  public String priority;

  @JsonPropertyDescription("Comma-separated tags.")
  public String tags;

  @JsonPropertyDescription("Also close alerts when they resolve. Default: true.")
  public Boolean sendResolved;
}
