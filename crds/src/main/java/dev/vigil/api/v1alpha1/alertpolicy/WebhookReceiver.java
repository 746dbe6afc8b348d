package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Alertmanager's webhook integration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.url) != has(self.urlSecret)",
    message =
        "webhook: set exactly one of url or urlSecret (use urlSecret when the URL holds a token)")
public class WebhookReceiver {
  @JsonPropertyDescription("The URL notifications are POSTed to.")
  @Pattern("^(http|https)://.+$")
  public String url;

  @JsonPropertyDescription("Secret key holding the URL, when the URL itself is a secret.")
  public SecretKeySelector urlSecret;

  @JsonPropertyDescription("Also notify when alerts resolve. Default: true.")
  public Boolean sendResolved;

  @JsonPropertyDescription("Most alerts in one notification. 0: all.")
  @Min(0)
  public Integer maxAlerts;
}
