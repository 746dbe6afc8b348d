package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Global settings of the stack's Alertmanager, shared by every policy's receivers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertmanagerGlobal {
  @JsonPropertyDescription("How long an alert without updates stays firing. Default: 5m.")
  @Pattern(Patterns.NON_ZERO_PROMETHEUS_DURATION)
  public String resolveTimeout;

  @JsonPropertyDescription("SMTP settings for email receivers.")
  public SmtpSettings smtp;

  @JsonPropertyDescription("Secret key holding a default Slack webhook URL.")
  public SecretKeySelector slackApiUrl;

  @JsonPropertyDescription("PagerDuty Events API URL, for a proxy or another region.")
  @Pattern("^(http|https)://.+$")
  public String pagerdutyUrl;

  @JsonPropertyDescription("Opsgenie API URL, e.g. the EU one.")
  @Pattern("^(http|https)://.+$")
  public String opsgenieApiUrl;
}
