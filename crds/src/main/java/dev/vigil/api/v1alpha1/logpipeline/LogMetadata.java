package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Pod labels and annotations copied to each record (as k8s.pod.labels.KEY, ...). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogMetadata {
  @JsonPropertyDescription("Pod label keys to copy, e.g. app.kubernetes.io/name.")
  @Size(max = 50)
  public List<@Size(max = 317) String> podLabels;

  @JsonPropertyDescription("Pod annotation keys to copy.")
  @Size(max = 50)
  public List<@Size(max = 317) String> podAnnotations;
}
