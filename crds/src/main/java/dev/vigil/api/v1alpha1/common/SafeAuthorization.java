package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** The HTTP Authorization header, with its credentials read from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.type) || self.type.lowerAscii() != 'basic'",
    message = "authorization.type: Basic is not allowed here, use basicAuth instead")
public class SafeAuthorization {
  @JsonPropertyDescription(
      "Authentication scheme, written before the credentials. Default: Bearer.")
  @Pattern("^[A-Za-z][A-Za-z0-9-]*$")
  @Size(max = 32)
  public String type;

  @Required
  @JsonPropertyDescription("Secret key holding the credentials.")
  public SecretKeySelector credentials;
}
