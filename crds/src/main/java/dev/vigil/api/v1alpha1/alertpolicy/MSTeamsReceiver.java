package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Alertmanager's Microsoft Teams integration (msteamsv2_configs, Workflows webhooks). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MSTeamsReceiver {
  @Required
  @JsonPropertyDescription("Secret key holding the Teams Workflows webhook URL.")
  public SecretKeySelector webhookUrl;

  @JsonPropertyDescription("Card title (Alertmanager template).")
  public String title;

  @JsonPropertyDescription("Card text (Alertmanager template).")
  public String text;

  @JsonPropertyDescription("Also notify when alerts resolve. Default: true.")
  public Boolean sendResolved;
}
