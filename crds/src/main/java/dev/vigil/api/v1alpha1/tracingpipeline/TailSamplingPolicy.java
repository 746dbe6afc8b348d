package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One tail-sampling policy; and and composite combine leaf sub-policies. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        TailSamplingPolicyFields.LEAF_TYPES_MATCH
            + " && (self.type == 'and') == has(self.and)"
            + " && (self.type == 'composite') == has(self.composite)",
    message =
        "sampling.tail.policies: a policy needs the settings block of its type (e.g. type"
            + " latency: latency, type status_code: statusCode) and no other")
public class TailSamplingPolicy extends TailSamplingPolicyFields {
  @JsonPropertyDescription("Keep a trace when every sub-policy keeps it.")
  public And and;

  @JsonPropertyDescription("Share a span rate between sub-policies, in order.")
  public Composite composite;

  /** Settings of an and policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class And {
    @Required
    @Size(min = 1, max = 10)
    @JsonPropertyDescription("Sub-policies that must all keep the trace.")
    public List<TailSamplingSubPolicy> subPolicies;
  }

  /** Settings of a composite policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.rateAllocation) || self.rateAllocation.all(a,"
              + " self.subPolicies.exists(p, p.name == a.policy))",
      message = "composite.rateAllocation[].policy must name one of composite.subPolicies")
  public static class Composite {
    @Required
    @Min(1)
    @JsonPropertyDescription("Spans per second kept by the whole composite policy.")
    public Long maxTotalSpansPerSecond;

    @Required
    @Size(min = 1, max = 10)
    @JsonPropertyDescription("Sub-policies, tried in list order.")
    public List<TailSamplingSubPolicy> subPolicies;

    @JsonPropertyDescription("Share of maxTotalSpansPerSecond each sub-policy may use.")
    @Size(max = 10)
    public List<RateAllocation> rateAllocation;
  }

  /** A sub-policy's share of a composite policy's rate. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RateAllocation {
    @Required
    @JsonPropertyDescription("Name of the sub-policy.")
    @Size(max = 64)
    public String policy;

    @Required
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Percent of the total rate.")
    public Integer percent;
  }
}
