package dev.vigil.api.v1alpha1.instrumentation;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Auto-instrumentation for pods annotated {@code instrumentation.vigil.dev/inject-<language>}: the
 * SDK image per language, the sampler, propagators and resource attributes, and where spans go. The
 * short name {@code vinst} keeps clear of the OpenTelemetry operator's {@code otelinst}.
 */
@Group("monitoring.vigil.dev")
@Version("v1alpha1")
@ShortNames("vinst")
@Categories("vigil")
@AdditionalPrinterColumn(
    name = "Endpoint",
    jsonPath = ".status.endpoint",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Pods",
    jsonPath = ".status.instrumentedPods",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Instrumentation extends CustomResource<InstrumentationSpec, InstrumentationStatus>
    implements Namespaced {}
