package dev.vigil.api.v1alpha1.instrumentation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** One language's auto-instrumentation: its image, extra environment and shared volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LanguageSpec {
  @JsonPropertyDescription(
      "Inject this language into pods that ask for it. Default: true; false refuses, with an"
          + " admission warning.")
  public Boolean enabled;

  @JsonPropertyDescription(
      "Auto-instrumentation image: its payload is copied into the shared volume by an init"
          + " container (cp must exist in it). Default: the OpenTelemetry operator's image at the"
          + " version Vigil pins (docs/instrumentation.md).")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "More environment for the instrumented containers, e.g. OTEL_INSTRUMENTATION_*"
          + " switches. A variable the container already sets is kept.")
  @Size(max = 64)
  public List<EnvVar> env;

  @JsonPropertyDescription(
      "CPU and memory of the init container that copies the payload. Default: requests cpu"
          + " 50m, memory 64Mi; limit memory 128Mi.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;

  @JsonPropertyDescription("Size limit of the emptyDir that holds the payload. Default: 200Mi.")
  @JsonDeserialize(using = StoredQuantities.QuantityReader.class)
  public Quantity volumeSizeLimit;
}
