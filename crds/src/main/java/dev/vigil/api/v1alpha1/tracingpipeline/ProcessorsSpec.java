package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The processors spans pass through. Vigil always puts them in this order: memory limiter, k8s
 * attributes, sampling, batch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProcessorsSpec {
  @JsonPropertyDescription(
      "Refuse data before the collector runs out of memory. Default: on, 80% of the memory"
          + " limit with 25% spike headroom.")
  public MemoryLimiterSpec memoryLimiter;

  @JsonPropertyDescription(
      "Add Kubernetes metadata (namespace, pod, deployment, node) to spans. Vigil creates the"
          + " read-only RBAC it needs. Default: on.")
  public K8sAttributesSpec k8sAttributes;

  @JsonPropertyDescription(
      "Keep only some traces: probabilistic or tail sampling. Default: keep all.")
  public SamplingSpec sampling;

  @JsonPropertyDescription("Batch spans before export. Default: on, 200ms or 8192 spans.")
  public BatchSpec batch;
}
