package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vigil.api.v1alpha1.common.StoredQuantities;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The node agents: one OpenTelemetry Collector per node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogAgentSpec {
  @JsonPropertyDescription("OpenTelemetry Collector image. Default: the image Vigil pins.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "CPU and memory of each agent container."
          + " Absent: Vigil's defaults (docs/resources.md); set, it replaces them entirely.")
  @JsonDeserialize(using = StoredQuantities.ResourcesReader.class)
  public ResourceRequirements resources;

  @JsonPropertyDescription("Node labels the agents must run on. Default: every node.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription(
      "Taints the agents tolerate. Default: every taint, so no node's logs are missed.")
  public List<Toleration> tolerations;

  @JsonPropertyDescription("PriorityClass of the agents, e.g. system-node-critical. Default: none.")
  @Size(max = 253)
  public String priorityClassName;

  @JsonPropertyDescription("Where the kubelet writes pod logs on the node. Default: /var/log/pods.")
  @Size(max = 1024)
  @Pattern("^/[^,*?\\[\\]{}]*$")
  public String podLogsPath;

  @JsonPropertyDescription(
      "Node directory where each agent keeps how far it has read every file, and its send queue,"
          + " so a restarted agent neither loses nor repeats lines. Default:"
          + " /var/lib/vigil/logs.")
  @Size(max = 1024)
  @Pattern("^/[^,*?\\[\\]{}]*$")
  public String stateHostPath;
}
