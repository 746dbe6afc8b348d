package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.tracingpipeline.BatchSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.MemoryLimiterSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.ProcessorsSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.SamplingSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingPolicy;
import dev.vigil.api.v1alpha1.tracingpipeline.TailSamplingSpec;
import dev.vigil.reconcilers.collector.CollectorConfig.Batch;
import dev.vigil.reconcilers.collector.CollectorConfig.K8sAttributes;
import dev.vigil.reconcilers.collector.CollectorConfig.MemoryLimiter;
import dev.vigil.reconcilers.collector.CollectorConfig.Policy;
import dev.vigil.reconcilers.collector.CollectorConfig.ProbabilisticSampler;
import dev.vigil.reconcilers.collector.CollectorConfig.Processors;
import dev.vigil.reconcilers.collector.CollectorConfig.TailSampling;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code processors} section: {@code memory_limiter} (on unless turned off), {@code
 * k8s_attributes} (on unless turned off, see {@link K8sAttributesProcessor}), {@code
 * probabilistic_sampler} or {@code tail_sampling} (each policy through {@link
 * TailSamplingPolicies}), and {@code batch} (always on). The order spans pass through them is
 * {@link CollectorPipelines}'. A bad setting is replaced by its default and reported; a
 * tail-sampling policy that cannot be rendered is left out and reported.
 */
final class CollectorProcessors {
  static final String DEFAULT_CHECK_INTERVAL = "1s";
  static final int DEFAULT_LIMIT_PERCENTAGE = 80;
  static final int DEFAULT_SPIKE_LIMIT_PERCENTAGE = 25;
  static final String DEFAULT_BATCH_TIMEOUT = "200ms";
  static final int DEFAULT_SEND_BATCH_SIZE = 8192;
  static final String DEFAULT_DECISION_WAIT = "30s";

  private CollectorProcessors() {}

  /**
   * @param spec the processors asked for; null: the defaults
   * @param agent whether the collectors are node agents, each watching only its own node's pods
   */
  static Processors build(ProcessorsSpec spec, boolean agent, CollectorBuild build) {
    spec = Objects.requireNonNullElseGet(spec, ProcessorsSpec::new);
    MemoryLimiter memoryLimiter = memoryLimiter(spec.memoryLimiter, build);
    K8sAttributes k8sAttributes = K8sAttributesProcessor.build(spec.k8sAttributes, agent, build);
    ProbabilisticSampler probabilistic = null;
    TailSampling tail = null;
    SamplingSpec sampling = spec.sampling;
    if (sampling != null) {
      if (sampling.tail != null) {
        if (sampling.probabilisticPercentage != null) {
          build.problem(
              "spec.processors.sampling",
              "set exactly one of probabilisticPercentage or tail; probabilisticPercentage is"
                  + " ignored");
        }
        tail = tailSampling(sampling.tail, build);
      } else if (sampling.probabilisticPercentage != null) {
        double percentage = sampling.probabilisticPercentage;
        if (percentage >= 0 && percentage <= 100) {
          probabilistic = new ProbabilisticSampler(percentage);
        } else {
          build.problem(
              "spec.processors.sampling.probabilisticPercentage",
              percentage + " is not between 0 and 100; every trace is kept");
        }
      }
    }
    Batch batch = batch(Objects.requireNonNullElseGet(spec.batch, BatchSpec::new), build);
    return new Processors(memoryLimiter, k8sAttributes, probabilistic, tail, batch);
  }

  private static MemoryLimiter memoryLimiter(MemoryLimiterSpec spec, CollectorBuild build) {
    if (spec != null && Boolean.FALSE.equals(spec.enabled)) {
      return null;
    }
    spec = Objects.requireNonNullElseGet(spec, MemoryLimiterSpec::new);
    String field = "spec.processors.memoryLimiter";
    String interval =
        duration(spec.checkInterval, DEFAULT_CHECK_INTERVAL, field + ".checkInterval", build);
    int limit = Objects.requireNonNullElse(spec.limitPercentage, DEFAULT_LIMIT_PERCENTAGE);
    if (limit < 1 || limit > 100) {
      build.problem(
          field + ".limitPercentage",
          limit + " is not between 1 and 100; using " + DEFAULT_LIMIT_PERCENTAGE);
      limit = DEFAULT_LIMIT_PERCENTAGE;
    }
    // The collector needs the spike headroom below the limit: a default never breaks that
    // (under a low limit it takes the collector's own default, a fifth of the limit).
    int defaultSpike =
        limit > DEFAULT_SPIKE_LIMIT_PERCENTAGE ? DEFAULT_SPIKE_LIMIT_PERCENTAGE : limit / 5;
    int spike = Objects.requireNonNullElse(spec.spikeLimitPercentage, defaultSpike);
    if (spike < 0 || spike >= limit) {
      build.problem(
          field + ".spikeLimitPercentage",
          spike + " must be lower than limitPercentage " + limit + "; using " + defaultSpike);
      spike = defaultSpike;
    }
    return new MemoryLimiter(interval, limit, spike == 0 ? null : spike);
  }

  private static TailSampling tailSampling(TailSamplingSpec spec, CollectorBuild build) {
    String field = "spec.processors.sampling.tail";
    String wait =
        duration(spec.decisionWait, DEFAULT_DECISION_WAIT, field + ".decisionWait", build);
    List<Policy> policies = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<TailSamplingPolicy> specs = spec.policies == null ? List.of() : spec.policies;
    for (int i = 0; i < specs.size(); i++) {
      TailSamplingPolicy policy = specs.get(i);
      String policyField = field + ".policies[" + i + "]";
      if (policy == null || policy.name == null || policy.name.isEmpty()) {
        build.problem(policyField, "a name is required; the policy is left out");
        continue;
      }
      if (!names.add(policy.name)) {
        build.problem(
            policyField, "the name \"" + policy.name + "\" is used twice; this policy is left out");
        continue;
      }
      try {
        policies.add(TailSamplingPolicies.policy(policy));
      } catch (Unrenderable e) {
        build.problem(
            policyField + " (" + policy.name + ")", e.getMessage() + "; the policy is left out");
      }
    }
    if (policies.isEmpty()) {
      build.problem(
          field, "no policy can be rendered; tail sampling is off and every trace is kept");
      return null;
    }
    return new TailSampling(wait, spec.numTraces, spec.expectedNewTracesPerSec, policies);
  }

  private static Batch batch(BatchSpec spec, CollectorBuild build) {
    String field = "spec.processors.batch";
    String timeout = duration(spec.timeout, DEFAULT_BATCH_TIMEOUT, field + ".timeout", build);
    int size = Objects.requireNonNullElse(spec.sendBatchSize, DEFAULT_SEND_BATCH_SIZE);
    if (size < 1) {
      build.problem(
          field + ".sendBatchSize", size + " is not positive; using " + DEFAULT_SEND_BATCH_SIZE);
      size = DEFAULT_SEND_BATCH_SIZE;
    }
    Integer max = spec.sendBatchMaxSize;
    if (max != null && max != 0 && max < size) {
      build.problem(
          field + ".sendBatchMaxSize",
          max + " is lower than sendBatchSize " + size + "; batches are not limited");
      max = null;
    }
    return new Batch(timeout, size, max == null || max == 0 ? null : max);
  }

  /** {@code value}, or {@code fallback} when it is unset or (reported) not a positive duration. */
  private static String duration(
      String value, String fallback, String field, CollectorBuild build) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    if (!GoDurations.isPositive(value)) {
      build.problem(field, "\"" + value + "\" is not a positive Go duration; using " + fallback);
      return fallback;
    }
    return value;
  }
}
