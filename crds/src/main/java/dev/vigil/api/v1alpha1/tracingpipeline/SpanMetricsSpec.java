package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.common.Patterns;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Request rate, errors and duration per service and operation, derived by the collectors from every
 * span they receive (before sampling) and exposed by the pipeline's Jaeger backend for the stacks'
 * Prometheus and Jaeger's Monitor tab.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpanMetricsSpec {
  @JsonPropertyDescription("Derive span metrics. Default: true once the block is set.")
  public Boolean enabled;

  @JsonPropertyDescription(
      "Span or resource attributes added as labels, beside service.name, span.name, span.kind"
          + " and status.code (dots become underscores). Each one multiplies the series: keep"
          + " to attributes with few values, e.g. http.request.method. At most 10.")
  @Size(max = 10)
  public List<@Size(min = 1, max = 128) String> dimensions;

  @JsonPropertyDescription(
      "Operations left out of the span metrics: RE2 regular expressions matched against the"
          + " whole span name, e.g. health checks or span names that carry ids. At most 50.")
  @Size(max = 50)
  public List<@Size(min = 1, max = 256) String> excludeOperations;

  @JsonPropertyDescription(
      "Upper bounds of the duration histogram's buckets, as Go durations in increasing order."
          + " Default: 2ms to 15s in 16 steps. At most 30.")
  @Size(max = 30)
  public List<@Pattern(Patterns.GO_DURATION) String> histogramBuckets;

  @JsonPropertyDescription(
      "Most label combinations each collector keeps; spans beyond it are counted under"
          + " otel_metric_overflow=\"true\". Default: 5000.")
  @Min(1)
  @Max(1000000)
  public Integer maxSeries;

  @JsonPropertyDescription(
      "How often each collector sends its span metrics on, as a Go duration. Default: 15s.")
  @Pattern(Patterns.GO_DURATION)
  public String flushInterval;
}
