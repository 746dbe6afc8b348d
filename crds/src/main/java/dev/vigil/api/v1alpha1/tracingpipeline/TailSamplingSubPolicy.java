package dev.vigil.api.v1alpha1.tracingpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** A sub-policy of an and or composite policy: any type but and and composite. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(self.type in ['and', 'composite'])",
    message = "sub-policies cannot be of type and or composite; nest only leaf policies")
@ValidationRule(
    value = TailSamplingPolicyFields.LEAF_TYPES_MATCH,
    message =
        "a sub-policy needs the settings block of its type (e.g. type latency: latency) and no other")
public class TailSamplingSubPolicy extends TailSamplingPolicyFields {}
