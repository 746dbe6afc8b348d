package dev.vigil.reconcilers.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.discovery.DiscoveryJob.ByLabels;
import dev.vigil.reconcilers.discovery.DiscoveryJob.PortFilter;
import dev.vigil.reconcilers.discovery.DiscoveryJob.Role;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrimmedObjectsTest {
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  @ParameterizedTest
  @ValueSource(strings = {"checkout.yaml", "frontend.yaml", "ipv6.yaml", "annotated.yaml"})
  void trimmedObjectsGiveTheSameTargetsAsFullOnes(String fixture) {
    List<HasMetadata> full = new ArrayList<>(Fixtures.objects(fixture));
    full.add(
        new NodeBuilder()
            .withNewMetadata()
            .withName("node-a")
            .addToLabels("zone", "z1")
            .addToAnnotations("note", "n")
            .endMetadata()
            .withNewSpec()
            .withProviderID("kind://node-a")
            .endSpec()
            .build());
    InMemoryClusterSnapshot fullSnapshot = new InMemoryClusterSnapshot().putAll(full);
    InMemoryClusterSnapshot trimmedSnapshot = new InMemoryClusterSnapshot();
    full.forEach(o -> trimmedSnapshot.put(trim(o)));

    for (DiscoveryJob job : jobs()) {
      assertThat(TargetDiscovery.discover(job, trimmedSnapshot))
          .as(job.toString())
          .isEqualTo(TargetDiscovery.discover(job, fullSnapshot));
    }
    assertThat(jobs())
        .as("the fixture gives targets")
        .anyMatch(job -> !TargetDiscovery.discover(job, fullSnapshot).isEmpty());
  }

  @Test
  void trimmedPodAndSliceKeepExactlyTheFieldsDiscoveryReads() throws IOException {
    Pod pod = Fixtures.object("checkout.yaml", Pod.class, "checkout-6d4b9-abcde");
    EndpointSlice slice = Fixtures.object("checkout.yaml", EndpointSlice.class, "checkout-x7k2p");

    String trimmed =
        KUBERNETES.asYaml(TrimmedObjects.pod(pod))
            + KUBERNETES.asYaml(TrimmedObjects.endpointSlice(slice));

    String expected;
    try (var in = getClass().getResourceAsStream("/discovery/checkout.trimmed.yaml")) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(trimmed).isEqualTo(expected.substring(expected.indexOf("---")));
  }

  @Test
  void trimmingLeavesItsArgumentUntouched() {
    Pod pod = Fixtures.object("frontend.yaml", Pod.class, "frontend-1");
    Pod copy = KUBERNETES.clone(pod);
    TrimmedObjects.pod(pod).getMetadata().getLabels().put("changed", "yes");
    assertThat(pod).isEqualTo(copy);
  }

  static HasMetadata trim(HasMetadata object) {
    if (object instanceof Pod pod) {
      return TrimmedObjects.pod(pod);
    } else if (object instanceof EndpointSlice slice) {
      return TrimmedObjects.endpointSlice(slice);
    } else if (object instanceof Service service) {
      return TrimmedObjects.service(service);
    } else if (object instanceof Namespace namespace) {
      return TrimmedObjects.namespace(namespace);
    } else if (object instanceof Node node) {
      return TrimmedObjects.node(node);
    }
    throw new IllegalArgumentException(object.getKind());
  }

  private static List<DiscoveryJob> jobs() {
    List<DiscoveryJob> jobs = new ArrayList<>();
    for (Role role : Role.values()) {
      for (boolean node : new boolean[] {false, true}) {
        jobs.add(
            new DiscoveryJob(
                "j",
                role,
                NamespaceSelection.all(),
                new ByLabels(LabelSelection.EVERYTHING),
                PortFilter.ANY,
                false,
                node));
      }
    }
    jobs.add(DiscoveryJob.annotatedPods("p", NamespaceSelection.all()));
    jobs.add(DiscoveryJob.annotatedServices("s", NamespaceSelection.all()));
    return jobs;
  }
}
