package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Alertmanager's PagerDuty integration (Events API v2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PagerDutyReceiver {
  @Required
  @JsonPropertyDescription("Secret key holding the integration's routing key.")
  public SecretKeySelector routingKey;

  @JsonPropertyDescription("Events API URL. Default: Alertmanager's.")
  @Pattern("^(http|https)://.+$")
  public String url;

  @JsonPropertyDescription("Severity of the incident (Alertmanager template). Default: error.")
  public String severity;

  @JsonPropertyDescription("Incident description (Alertmanager template).")
  public String description;

  @JsonPropertyDescription("Also resolve incidents when alerts resolve. Default: true.")
  public Boolean sendResolved;
}
