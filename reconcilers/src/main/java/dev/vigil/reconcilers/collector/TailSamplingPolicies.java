package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicy;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicyFields;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingSubPolicy;
import dev.vigil.reconcilers.collector.CollectorConfig.And;
import dev.vigil.reconcilers.collector.CollectorConfig.Composite;
import dev.vigil.reconcilers.collector.CollectorConfig.Latency;
import dev.vigil.reconcilers.collector.CollectorConfig.Policy;
import dev.vigil.reconcilers.collector.CollectorConfig.Probabilistic;
import dev.vigil.reconcilers.collector.CollectorConfig.RateAllocation;
import dev.vigil.reconcilers.collector.CollectorConfig.RateLimiting;
import dev.vigil.reconcilers.collector.CollectorConfig.StatusCode;
import dev.vigil.reconcilers.collector.CollectorConfig.StringAttribute;
import dev.vigil.reconcilers.goregex.GoRegexp;
import dev.vigil.reconcilers.goregex.RegexpError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one tail-sampling policy of the spec into the processor's {@link Policy}, or throws {@link
 * Unrenderable} saying what is wrong with it. Checks everything the processor would refuse at start
 * (and what the CRD's CEL rules refuse, for objects that bypassed them), so a bad policy is left
 * out instead of stopping the collector.
 */
final class TailSamplingPolicies {
  private TailSamplingPolicies() {}

  static Policy policy(TailSamplingPolicy spec) {
    if (spec.type == TailSamplingPolicyFields.Type.and) {
      requireOnly(spec, spec.and != null, "and");
      if (spec.and.subPolicies == null || spec.and.subPolicies.isEmpty()) {
        throw new Unrenderable("and.subPolicies: at least one sub-policy is required");
      }
      return new Policy(
          spec.name,
          "and",
          null,
          null,
          null,
          null,
          null,
          new And(subPolicies(spec.and.subPolicies, "and")),
          null);
    }
    if (spec.type == TailSamplingPolicyFields.Type.composite) {
      requireOnly(spec, spec.composite != null, "composite");
      TailSamplingPolicy.Composite composite = spec.composite;
      if (composite.maxTotalSpansPerSecond == null || composite.maxTotalSpansPerSecond < 1) {
        throw new Unrenderable("composite.maxTotalSpansPerSecond must be at least 1");
      }
      if (composite.subPolicies == null || composite.subPolicies.isEmpty()) {
        throw new Unrenderable("composite.subPolicies: at least one sub-policy is required");
      }
      List<Policy> subs = subPolicies(composite.subPolicies, "composite");
      List<String> order = subs.stream().map(Policy::name).toList();
      List<RateAllocation> allocations = new ArrayList<>();
      int total = 0;
      Set<String> allocated = new HashSet<>();
      if (composite.rateAllocation != null) {
        for (TailSamplingPolicy.RateAllocation allocation : composite.rateAllocation) {
          if (allocation == null || !order.contains(allocation.policy)) {
            throw new Unrenderable(
                "composite.rateAllocation: policy \""
                    + (allocation == null ? null : allocation.policy)
                    + "\" is not one of the sub-policies "
                    + order);
          }
          if (!allocated.add(allocation.policy)) {
            throw new Unrenderable(
                "composite.rateAllocation: policy \"" + allocation.policy + "\" appears twice");
          }
          if (allocation.percent == null || allocation.percent < 1 || allocation.percent > 100) {
            throw new Unrenderable(
                "composite.rateAllocation: percent of \""
                    + allocation.policy
                    + "\" must be between 1 and 100");
          }
          total += allocation.percent;
          allocations.add(new RateAllocation(allocation.policy, allocation.percent));
        }
      }
      if (total > 100) {
        throw new Unrenderable(
            "composite.rateAllocation: the percentages add up to " + total + ", more than 100");
      }
      return new Policy(
          spec.name,
          "composite",
          null,
          null,
          null,
          null,
          null,
          null,
          new Composite(composite.maxTotalSpansPerSecond, order, subs, allocations));
    }
    if (spec.and != null || spec.composite != null) {
      throw new Unrenderable(
          "a policy of type "
              + spec.type
              + " takes no "
              + (spec.and != null ? "and" : "composite")
              + " block");
    }
    return leaf(spec);
  }

  private static List<Policy> subPolicies(List<TailSamplingSubPolicy> specs, String parent) {
    List<Policy> subs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < specs.size(); i++) {
      TailSamplingSubPolicy sub = specs.get(i);
      String field = parent + ".subPolicies[" + i + "]";
      if (sub == null || sub.name == null || sub.name.isEmpty()) {
        throw new Unrenderable(field + ": a name is required");
      }
      if (!names.add(sub.name)) {
        throw new Unrenderable(field + ": the name \"" + sub.name + "\" is used twice");
      }
      if (sub.type == TailSamplingPolicyFields.Type.and
          || sub.type == TailSamplingPolicyFields.Type.composite) {
        throw new Unrenderable(
            field + ": a sub-policy cannot be of type " + sub.type + "; nest only leaf policies");
      }
      try {
        subs.add(leaf(sub));
      } catch (Unrenderable e) {
        throw new Unrenderable(field + " (" + sub.name + "): " + e.getMessage());
      }
    }
    return subs;
  }

  /** A policy of one of the leaf types. */
  private static Policy leaf(TailSamplingPolicyFields spec) {
    if (spec.type == null) {
      throw new Unrenderable("type is required");
    }
    return switch (spec.type) {
      case latency -> {
        requireOnly(spec, spec.latency != null, "latency");
        Long threshold = spec.latency.thresholdMs;
        Long upper = spec.latency.upperThresholdMs;
        if (threshold == null || threshold < 1) {
          throw new Unrenderable("latency.thresholdMs must be at least 1");
        }
        if (upper != null && upper <= threshold) {
          throw new Unrenderable(
              "latency.upperThresholdMs ("
                  + upper
                  + ") must be greater than thresholdMs ("
                  + threshold
                  + ")");
        }
        yield leafPolicy(spec, new Latency(threshold, upper), null, null, null, null);
      }
      case status_code -> {
        requireOnly(spec, spec.statusCode != null, "statusCode");
        if (spec.statusCode.statusCodes == null
            || spec.statusCode.statusCodes.isEmpty()
            || spec.statusCode.statusCodes.contains(null)) {
          throw new Unrenderable("statusCode.statusCodes: list OK, ERROR or UNSET");
        }
        Set<String> codes = new LinkedHashSet<>();
        spec.statusCode.statusCodes.forEach(code -> codes.add(code.name()));
        yield leafPolicy(spec, null, new StatusCode(List.copyOf(codes)), null, null, null);
      }
      case probabilistic -> {
        requireOnly(spec, spec.probabilistic != null, "probabilistic");
        Double percentage = spec.probabilistic.samplingPercentage;
        if (percentage == null || !(percentage >= 0 && percentage <= 100)) {
          throw new Unrenderable("probabilistic.samplingPercentage must be between 0 and 100");
        }
        yield leafPolicy(spec, null, null, new Probabilistic(percentage), null, null);
      }
      case rate_limiting -> {
        requireOnly(spec, spec.rateLimiting != null, "rateLimiting");
        Long rate = spec.rateLimiting.spansPerSecond;
        if (rate == null || rate < 1) {
          throw new Unrenderable("rateLimiting.spansPerSecond must be at least 1");
        }
        yield leafPolicy(spec, null, null, null, new RateLimiting(rate), null);
      }
      case string_attribute -> {
        requireOnly(spec, spec.stringAttribute != null, "stringAttribute");
        TailSamplingPolicyFields.StringAttribute attribute = spec.stringAttribute;
        if (attribute.key == null || attribute.key.isEmpty()) {
          throw new Unrenderable("stringAttribute.key is required");
        }
        if (attribute.values == null
            || attribute.values.isEmpty()
            || attribute.values.contains(null)) {
          throw new Unrenderable("stringAttribute.values: at least one value is required");
        }
        if (Boolean.TRUE.equals(attribute.enabledRegexMatching)) {
          for (String value : attribute.values) {
            // The processor compiles each value with Go's regexp.MustCompile, as it is: a bad
            // one stops the collector at start.
            Optional<RegexpError> problem = GoRegexp.check(value);
            if (problem.isPresent()) {
              throw new Unrenderable(
                  "stringAttribute.values: \""
                      + value
                      + "\" is not a regular expression: "
                      + problem.get().reason());
            }
          }
        }
        yield leafPolicy(
            spec,
            null,
            null,
            null,
            null,
            new StringAttribute(
                attribute.key,
                List.copyOf(attribute.values),
                attribute.enabledRegexMatching,
                attribute.invertMatch));
      }
      case and, composite -> throw new IllegalStateException("not a leaf type: " + spec.type);
    };
  }

  private static Policy leafPolicy(
      TailSamplingPolicyFields spec,
      Latency latency,
      StatusCode statusCode,
      Probabilistic probabilistic,
      RateLimiting rateLimiting,
      StringAttribute stringAttribute) {
    return new Policy(
        spec.name,
        spec.type.name(),
        latency,
        statusCode,
        probabilistic,
        rateLimiting,
        stringAttribute,
        null,
        null);
  }

  /** The block of the policy's type must be set, and no block of another leaf type. */
  private static void requireOnly(TailSamplingPolicyFields spec, boolean present, String block) {
    if (!present) {
      throw new Unrenderable("a policy of type " + spec.type + " needs its " + block + " block");
    }
    List<String> others = new ArrayList<>();
    if (spec.latency != null && !block.equals("latency")) {
      others.add("latency");
    }
    if (spec.statusCode != null && !block.equals("statusCode")) {
      others.add("statusCode");
    }
    if (spec.probabilistic != null && !block.equals("probabilistic")) {
      others.add("probabilistic");
    }
    if (spec.rateLimiting != null && !block.equals("rateLimiting")) {
      others.add("rateLimiting");
    }
    if (spec.stringAttribute != null && !block.equals("stringAttribute")) {
      others.add("stringAttribute");
    }
    if (!others.isEmpty()) {
      throw new Unrenderable(
          "a policy of type " + spec.type + " takes only its " + block + " block, not " + others);
    }
  }
}
