package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How each line is read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogParsing {
  @JsonPropertyDescription(
      "Parse lines that are JSON objects: their fields become attributes; trace_id/traceId,"
          + " span_id/spanId and level/severity are lifted to the record's trace context and"
          + " severity, so a log line links to its trace. Default: true.")
  public Boolean json;

  @JsonPropertyDescription(
      "Take the severity of plain-text lines from a level word (DEBUG, INFO, WARN, ERROR, ...)."
          + " Default: true.")
  public Boolean severity;
}
