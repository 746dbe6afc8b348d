package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What a tail-sampling policy and a sub-policy of an and/composite policy share. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class TailSamplingPolicyFields {
  /** The condition expression the leaf policy types share, used by the CEL rules. */
  static final String LEAF_TYPES_MATCH =
      "(self.type == 'latency') == has(self.latency)"
          + " && (self.type == 'status_code') == has(self.statusCode)"
          + " && (self.type == 'probabilistic') == has(self.probabilistic)"
          + " && (self.type == 'rate_limiting') == has(self.rateLimiting)"
          + " && (self.type == 'string_attribute') == has(self.stringAttribute)";

  @Required
  @Size(min = 1, max = 64)
  @Pattern("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
  @JsonPropertyDescription("Name of the policy, unique among its siblings.")
  public String name;

  @Required
  @JsonPropertyDescription(
      "Policy type; the block of the same name holds its settings: latency, status_code,"
          + " probabilistic, rate_limiting, string_attribute, and, composite.")
  public Type type;

  @JsonPropertyDescription("Keep traces slower than a threshold.")
  public Latency latency;

  @JsonPropertyDescription("Keep traces with spans of the given status codes.")
  public StatusCode statusCode;

  @JsonPropertyDescription("Keep a percentage of traces.")
  public Probabilistic probabilistic;

  @JsonPropertyDescription("Keep traces up to a rate of spans per second.")
  public RateLimiting rateLimiting;

  @JsonPropertyDescription("Keep traces with a span attribute of the given values.")
  public StringAttribute stringAttribute;

  /** Policy types, spelled as the tail_sampling processor spells them. */
  public enum Type {
    latency,
    status_code,
    probabilistic,
    rate_limiting,
    string_attribute,
    and,
    composite
  }

  /** Settings of a latency policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Latency {
    @Required
    @Min(1)
    @JsonPropertyDescription("Traces that take at least this many milliseconds are kept.")
    public Long thresholdMs;

    @JsonPropertyDescription("Traces that take longer than this are not kept by this policy.")
    @Min(1)
    public Long upperThresholdMs;
  }

  /** Settings of a status_code policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StatusCode {
    @Required
    @Size(min = 1, max = 3)
    @JsonPropertyDescription("Status codes that keep a trace: OK, ERROR, UNSET.")
    public List<Code> statusCodes;

    /** Span status codes. */
    public enum Code {
      OK,
      ERROR,
      UNSET
    }
  }

  /** Settings of a probabilistic policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Probabilistic {
    @Required
    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Percentage of traces kept.")
    public Double samplingPercentage;
  }

  /** Settings of a rate_limiting policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RateLimiting {
    @Required
    @Min(1)
    @JsonPropertyDescription("Spans per second kept.")
    public Long spansPerSecond;
  }

  /** Settings of a string_attribute policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StringAttribute {
    @Required
    @Size(min = 1, max = 256)
    @JsonPropertyDescription("Attribute key.")
    public String key;

    @Required
    @Size(min = 1, max = 50)
    @JsonPropertyDescription(
        "Values that keep a trace (regular expressions if enabledRegexMatching).")
    public List<String> values;

    @JsonPropertyDescription("Treat values as regular expressions.")
    public Boolean enabledRegexMatching;

    @JsonPropertyDescription("Keep traces that do NOT match instead.")
    public Boolean invertMatch;
  }
}
