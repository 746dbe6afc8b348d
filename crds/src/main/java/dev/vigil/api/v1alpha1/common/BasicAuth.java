package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** HTTP basic authentication with both values read from Secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BasicAuth {
  @Required
  @JsonPropertyDescription("Secret key holding the user name.")
  public SecretKeySelector username;

  @Required
  @JsonPropertyDescription("Secret key holding the password.")
  public SecretKeySelector password;
}
