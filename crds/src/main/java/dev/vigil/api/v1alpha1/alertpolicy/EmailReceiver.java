package dev.vigil.api.v1alpha1.alertpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.Map;

/** Alertmanager's email integration; unset fields fall back to the stack's SMTP settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EmailReceiver {
  @Required
  @JsonPropertyDescription("Recipient address(es), comma-separated.")
  @Pattern("^.+@.+$")
  public String to;

  @JsonPropertyDescription("Sender address. Default: the stack's alertmanager.global.smtp.from.")
  public String from;

  @JsonPropertyDescription("SMTP server as host:port. Default: the stack's smtp.smarthost.")
  @Pattern("^.+:[0-9]+$")
  public String smarthost;

  @JsonPropertyDescription("SMTP user name.")
  public String authUsername;

  @JsonPropertyDescription("Secret key holding the SMTP password.")
  public SecretKeySelector authPassword;

  @JsonPropertyDescription("Require STARTTLS. Default: true.")
  public Boolean requireTLS;

  @JsonPropertyDescription("Extra email headers, e.g. Subject.")
  public Map<String, String> headers;

  @JsonPropertyDescription("Also notify when alerts resolve. Default: false.")
  public Boolean sendResolved;
}
