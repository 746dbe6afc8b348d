package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The debug exporter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DebugExporterSpec {
  @JsonPropertyDescription("basic (default), normal or detailed.")
  public Verbosity verbosity;

  /** How much the debug exporter prints. */
  public enum Verbosity {
    basic,
    normal,
    detailed
  }
}
