package dev.vigil.api.v1alpha1.podmonitor;

import dev.vigil.api.v1alpha1.common.MonitorStatus;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Scrape the pods that match a selector. */
@Group("monitoring.vigil.dev")
@Version("v1alpha1")
@ShortNames("vpmon")
@Categories("vigil")
@io.fabric8.crd.generator.annotation.AdditionalPrinterColumn(
    name = "Targets",
    jsonPath = ".status.targets",
    type = io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.INTEGER)
@io.fabric8.crd.generator.annotation.AdditionalPrinterColumn(
    name = "Accepted",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
    type = io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.STRING)
@io.fabric8.crd.generator.annotation.AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.DATE)
public class PodMonitor extends CustomResource<PodMonitorSpec, MonitorStatus>
    implements Namespaced {}
