package dev.vigil.api.v1alpha1.monitoringstack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * Discovery of pods and Services annotated {@code prometheus.io/scrape: "true"}, with {@code
 * prometheus.io/port}, {@code /path} and {@code /scheme}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnnotationDiscoverySpec {
  @JsonPropertyDescription("Turn annotation discovery on. Default: false.")
  @Default("false")
  public Boolean enabled = false;
}
