package dev.vigil.benchmarks;

import dev.vigil.api.v1alpha1.common.RelabelConfig;
import dev.vigil.api.v1alpha1.common.ResourceSelector;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.podmonitor.PodMetricsEndpoint;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitorSpec;
import dev.vigil.reconcilers.discovery.TrimmedObjects;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cluster ten times the size of {@link DiscoveryFixture}'s, as the target engine sees it once its
 * watches have listed: 50 namespaces, 100 nodes, 100,000 running pods (trimmed, as the informers
 * keep them), 350 PodMonitors (each selects the pods of one app, about 286 targets a job; every
 * second one keeps only the pods labelled {@code scrape: "true"}, half of them, with a {@code keep}
 * relabeling, as the example does), and 3 MonitoringStacks of {@code shards} shards that
 * each select every monitor: 350 jobs, 100,000 targets discovered, 75,000 scraped a stack. With
 * {@code monitors} given, as many monitors (the scale harness's 100k size has 2,000, 50 targets a
 * job).
 */
final class EngineFixture {
  static final int NAMESPACES = 50;
  static final int NODES = 100;
  static final int PODS = 100_000;
  static final int MONITORS = 350;
  static final int STACKS = 3;
  static final String MONITORING = "monitoring";

  final List<HasMetadata> cluster = new ArrayList<>();
  final List<Pod> pods = new ArrayList<>();
  final List<PodMonitor> monitors = new ArrayList<>();
  final List<MonitoringStack> stacks = new ArrayList<>();

  EngineFixture(int shards) {
    this(shards, MONITORS);
  }

  EngineFixture(int shards, int monitorCount) {
    cluster.add(
        new NamespaceBuilder().withNewMetadata().withName(MONITORING).endMetadata().build());
    for (int n = 0; n < NAMESPACES; n++) {
      cluster.add(
          new NamespaceBuilder()
              .withNewMetadata()
              .withName(namespace(n))
              .withLabels(Map.of("team", "team-" + n))
              .endMetadata()
              .build());
    }
    for (int n = 0; n < NODES; n++) {
      cluster.add(
          TrimmedObjects.node(
              new NodeBuilder().withNewMetadata().withName("node-" + n).endMetadata().build()));
    }
    for (int i = 0; i < PODS; i++) {
      // Every second pod of each app (pods i, i + 350, i + 700, ... are one app's).
      pods.add(pod(i, (i / monitorCount) % 2 == 0, monitorCount));
    }
    cluster.addAll(pods);
    for (int m = 0; m < monitorCount; m++) {
      monitors.add(monitor(m));
    }
    for (int s = 0; s < STACKS; s++) {
      stacks.add(stack(s, shards));
    }
  }

  static String namespace(int n) {
    return String.format("team-%02d", n);
  }

  /** Pod {@code i}: app {@code app-<i mod 350>}, labelled {@code scrape} as asked. */
  static Pod pod(int i, boolean scrape) {
    return pod(i, scrape, MONITORS);
  }

  /** Pod {@code i}: app {@code app-<i mod monitors>}, labelled {@code scrape} as asked. */
  static Pod pod(int i, boolean scrape, int monitors) {
    return TrimmedObjects.pod(
        new PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName("pod-" + i)
                    .withNamespace(namespace(i % NAMESPACES))
                    .withUid("uid-" + i)
                    .withLabels(
                        Map.of(
                            "app", "app-" + (i % monitors),
                            "scrape", Boolean.toString(scrape),
                            "pod-template-hash", "6d4b9" + (i % 7)))
                    .build())
            .withNewSpec()
            .withNodeName("node-" + (i % NODES))
            .withContainers(
                new ContainerBuilder()
                    .withName("app")
                    .withImage("registry.example/app:" + (i % monitors))
                    .addNewPort()
                    .withName("metrics")
                    .withContainerPort(8080)
                    .withProtocol("TCP")
                    .endPort()
                    .build())
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255))
            .withHostIP("192.168.0." + (i % NODES))
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build());
  }

  /** PodMonitor {@code m}: the pods of app {@code app-<m>} in every namespace. */
  static PodMonitor monitor(int m) {
    PodMonitor monitor = new PodMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder()
            .withName(String.format("app-%04d", m))
            .withNamespace(MONITORING)
            .withGeneration(1L)
            .build());
    PodMonitorSpec spec = new PodMonitorSpec();
    spec.selector = new LabelSelectorBuilder().withMatchLabels(Map.of("app", "app-" + m)).build();
    spec.namespaceSelector = new dev.vigil.api.v1alpha1.common.NamespaceSelector();
    spec.namespaceSelector.any = true;
    PodMetricsEndpoint endpoint = new PodMetricsEndpoint();
    endpoint.port = "metrics";
    if (m % 2 == 0) {
      RelabelConfig keep = new RelabelConfig();
      keep.sourceLabels = List.of("__meta_kubernetes_pod_label_scrape");
      keep.regex = "true";
      keep.action = RelabelConfig.Action.keep;
      endpoint.relabelings = List.of(keep);
    }
    spec.podMetricsEndpoints = List.of(endpoint);
    monitor.setSpec(spec);
    return monitor;
  }

  static MonitoringStack stack(int s, int shards) {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(
        new ObjectMetaBuilder()
            .withName("stack-" + s)
            .withNamespace(MONITORING)
            .withGeneration(1L)
            .build());
    MonitoringStackSpec spec = new MonitoringStackSpec();
    spec.scraper = new ScraperSpec();
    spec.scraper.shards = shards;
    spec.monitorSelector = new ResourceSelector();
    stack.setSpec(spec);
    return stack;
  }
}
