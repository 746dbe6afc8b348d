package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.Patterns;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** A Jaeger v2 backend: OTLP ingest and the query UI on port 16686. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.storage) && self.storage == 'badger') || (!has(self.size) && !has(self.retention))",
    message = "jaeger: size and retention apply to storage badger only")
@ValidationRule(
    value = "!has(self.storage) || self.storage == 'memory' || !has(self.maxTraces)",
    message = "jaeger: maxTraces applies to storage memory only")
public class JaegerBackendSpec {
  @JsonPropertyDescription("Deploy the backend. Default: true once the block is set.")
  public Boolean enabled;

  @JsonPropertyDescription("Jaeger image. Default: the Jaeger v2 image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "memory (default: lost on restart) or badger (on a PersistentVolumeClaim).")
  @Default("memory")
  public Storage storage = Storage.memory;

  @JsonPropertyDescription("Traces kept by memory storage. Default: 100000.")
  @Min(1)
  public Long maxTraces;

  @JsonPropertyDescription("Size of the badger volume. Default: 10Gi.")
  @JsonDeserialize(using = StoredQuantities.QuantityReader.class)
  public Quantity size;

  @JsonPropertyDescription("How long badger keeps spans, as a Go duration. Default: 72h.")
  @Pattern(Patterns.GO_DURATION)
  public String retention;

  @JsonPropertyDescription(
      "Jaeger's Monitor tab: where the backend reads span metrics back from (see"
          + " spec.spanMetrics).")
  public JaegerMonitorSpec monitor;

  @JsonPropertyDescription(
      "CPU and memory of the Jaeger container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;

  /** Jaeger storage backends Vigil runs. */
  public enum Storage {
    memory,
    badger
  }
}
