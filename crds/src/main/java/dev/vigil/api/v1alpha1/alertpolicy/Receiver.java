package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A named destination for notifications, with exactly one integration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.webhook), has(self.slack), has(self.email), has(self.pagerduty),"
            + " has(self.opsgenie), has(self.msteams)].filter(x, x).size() == 1",
    message =
        "receivers: set exactly one of webhook, slack, email, pagerduty, opsgenie or msteams on"
            + " each receiver")
public class Receiver {
  @Required
  @Size(min = 1, max = 64)
  @Pattern("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
  @JsonPropertyDescription("Name of the receiver, unique in the policy.")
  public String name;

  @JsonPropertyDescription("Send notifications as JSON to an HTTP endpoint.")
  public WebhookReceiver webhook;

  @JsonPropertyDescription("Send notifications to a Slack channel.")
  public SlackReceiver slack;

  @JsonPropertyDescription("Send notifications by email.")
  public EmailReceiver email;

  @JsonPropertyDescription("Open PagerDuty incidents (Events API v2).")
  public PagerDutyReceiver pagerduty;

  @JsonPropertyDescription("Create Opsgenie alerts.")
  public OpsgenieReceiver opsgenie;

  @JsonPropertyDescription("Post to a Microsoft Teams channel (Workflows webhook).")
  public MSTeamsReceiver msteams;
}
