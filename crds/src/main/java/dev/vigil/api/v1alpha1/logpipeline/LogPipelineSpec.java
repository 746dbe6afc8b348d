package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Which pods' logs are collected, how each line is read and enriched, and where it goes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogPipelineSpec {
  @JsonPropertyDescription(
      "Which logs: namespaces, pods and containers, and exclusions. Default: every container of"
          + " every pod in the pipeline's own namespace.")
  public LogSelection select;

  @JsonPropertyDescription(
      "Lines that continue a record (a stack trace) are joined to the line that starts it, per"
          + " container.")
  @Size(max = 20)
  public List<MultilineRule> multiline;

  @JsonPropertyDescription(
      "Reading each line: JSON fields, severity, trace and span ids. Default: all on.")
  public LogParsing parsing;

  @JsonPropertyDescription(
      "Kubernetes metadata added to each record besides namespace, pod, container, node and"
          + " workload.")
  public LogMetadata metadata;

  @JsonPropertyDescription("Caps that keep one noisy pod or a slow backend from hurting the node.")
  public LogLimits limits;

  @JsonPropertyDescription("The node agents: image, resources, scheduling, host paths.")
  public LogAgentSpec agent;

  @Required
  @JsonPropertyDescription("Where the logs go: at least one backend.")
  public LogBackendsSpec backends;
}
