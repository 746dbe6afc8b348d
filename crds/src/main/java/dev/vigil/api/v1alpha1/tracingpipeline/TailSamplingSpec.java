package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The tail_sampling processor: a trace is kept when any policy keeps it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.policies.all(p, self.policies.exists_one(o, o.name == p.name))",
    message = "sampling.tail.policies: every policy needs a unique name")
public class TailSamplingSpec {
  @JsonPropertyDescription("How long to wait for a trace's spans before deciding. Default: 30s.")
  @Pattern(Patterns.GO_DURATION)
  public String decisionWait;

  @JsonPropertyDescription("Traces kept in memory while waiting. Default: 50000.")
  @Min(1)
  public Integer numTraces;

  @JsonPropertyDescription("Expected new traces per second, to size data structures.")
  @Min(0)
  public Integer expectedNewTracesPerSec;

  @Required
  @Size(min = 1, max = 20)
  @JsonPropertyDescription("The policies; at least one.")
  public List<TailSamplingPolicy> policies;
}
