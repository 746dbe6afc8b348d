package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** A value read from a key of a Secret or of a ConfigMap in the object's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.secret) != has(self.configMap)",
    message = "set exactly one of secret or configMap")
public class SecretOrConfigMap {
  @JsonPropertyDescription("The Secret key holding the value.")
  public SecretKeySelector secret;

  @JsonPropertyDescription("The ConfigMap key holding the value.")
  public ConfigMapKeySelector configMap;
}
