package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** The SMTP server email receivers use by default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SmtpSettings {
  @JsonPropertyDescription("Sender address.")
  @Pattern("^.+@.+$")
  public String from;

  @JsonPropertyDescription("SMTP server as host:port.")
  @Pattern("^.+:[0-9]+$")
  public String smarthost;

  @JsonPropertyDescription("SMTP user name.")
  public String authUsername;

  @JsonPropertyDescription("Secret key holding the SMTP password.")
  public SecretKeySelector authPassword;

  @JsonPropertyDescription("Require STARTTLS. Default: true.")
  public Boolean requireTLS;
}
