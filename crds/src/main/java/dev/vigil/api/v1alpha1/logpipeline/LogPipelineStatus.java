package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.VigilStatus;
import java.util.List;

/** The agents a LogPipeline runs, where its logs go, and where to query them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogPipelineStatus extends VigilStatus {
  @JsonPropertyDescription("The node agents: where they run, how many are wanted and ready.")
  public Agents agents;

  @JsonPropertyDescription("Each backend the logs are sent to, with its endpoint.")
  public List<Backend> backends;

  @JsonPropertyDescription(
      "LogsQL query URL of the VictoriaLogs Vigil runs for this pipeline, when it runs one.")
  public String queryUrl;

  @JsonPropertyDescription("Namespaces whose pods' logs are collected, as resolved now.")
  public List<String> namespaces;

  /** The node agents. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Agents {
    @JsonPropertyDescription("namespace/name of the agents' DaemonSet.")
    public String daemonSet;

    @JsonPropertyDescription("Nodes an agent should run on.")
    public Integer desired;

    @JsonPropertyDescription("Agents ready.")
    public Integer ready;
  }

  /** One backend. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Backend {
    @JsonPropertyDescription("victoriaLogs, otlp/<name>, datadog or debug.")
    public String name;

    @JsonPropertyDescription("Where the agents send.")
    public String endpoint;
  }
}
