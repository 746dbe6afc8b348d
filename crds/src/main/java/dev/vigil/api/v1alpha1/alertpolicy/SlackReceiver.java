package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Alertmanager's Slack integration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlackReceiver {
  @Required
  @JsonPropertyDescription("Secret key holding the Slack incoming-webhook URL.")
  public SecretKeySelector apiUrl;

  @JsonPropertyDescription("Channel or user to post to, e.g. #alerts.")
  public String channel;

  @JsonPropertyDescription("User name the message is posted as.")
  public String username;

  @JsonPropertyDescription("Message title (Alertmanager template).")
  public String title;

  @JsonPropertyDescription("Message text (Alertmanager template).")
  public String text;

  @JsonPropertyDescription("Also notify when alerts resolve. Default: false.")
  public Boolean sendResolved;
}
