package dev.vigil.api.v1alpha1.monitoringstack;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A monitoring stack: Prometheus shards and the parts around them. */
@Group("monitoring.vigil.dev")
@Version("v1alpha1")
@ShortNames("ms")
@Categories("vigil")
@AdditionalPrinterColumn(
    name = "Shards",
    jsonPath = ".status.shards",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Targets",
    jsonPath = ".status.targets",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class MonitoringStack extends CustomResource<MonitoringStackSpec, MonitoringStackStatus>
    implements Namespaced {}
