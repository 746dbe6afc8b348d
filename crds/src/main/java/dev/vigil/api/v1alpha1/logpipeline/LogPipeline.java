package dev.vigil.api.v1alpha1.logpipeline;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Collects the logs of the selected pods on every node (a collector DaemonSet reading {@code
 * /var/log/pods}) and sends them to a VictoriaLogs Vigil runs, OTLP endpoints or Datadog. The short
 * name {@code vlp} keeps clear of other operators' log kinds.
 */
@Group("monitoring.vigil.dev")
@Version("v1alpha1")
@ShortNames("vlp")
@Categories("vigil")
@AdditionalPrinterColumn(
    name = "Agents",
    jsonPath = ".status.agents.ready",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.agents.desired",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Query",
    jsonPath = ".status.queryUrl",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LogPipeline extends CustomResource<LogPipelineSpec, LogPipelineStatus>
    implements Namespaced {}
