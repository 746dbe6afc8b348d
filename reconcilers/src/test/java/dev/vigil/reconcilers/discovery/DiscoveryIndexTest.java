package dev.vigil.reconcilers.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.reconcilers.discovery.DiscoveryJob.ByLabels;
import dev.vigil.reconcilers.discovery.DiscoveryJob.PortFilter;
import dev.vigil.reconcilers.discovery.DiscoveryJob.Role;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class DiscoveryIndexTest {
  private static final List<String> NAMESPACES = List.of("a", "b", "c");
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final List<String> SERVICES = List.of("s1", "s2", "s3");
  private static final List<String> PODS = List.of("p1", "p2", "p3", "p4", "p5");

  @Test
  void incrementalResultsAlwaysEqualAFullRecomputation() {
    Random random = new Random(20260101L);
    InMemoryClusterSnapshot snapshot = new InMemoryClusterSnapshot();
    DiscoveryIndex index = new DiscoveryIndex(snapshot);
    List<DiscoveryJob> allJobs = jobs();
    index.setJobs(allJobs);
    Map<String, Long> versions = new HashMap<>();
    Map<String, List<TargetGroup>> previous = new HashMap<>();
    int nonEmptySteps = 0;

    for (int step = 0; step < 1500; step++) {
      SortedSet<String> reported;
      if (random.nextInt(40) == 0) {
        List<DiscoveryJob> subset = new ArrayList<>();
        for (DiscoveryJob job : allJobs) {
          if (random.nextInt(4) != 0) {
            subset.add(random.nextInt(6) == 0 ? variant(job, random) : job);
          }
        }
        reported = index.setJobs(subset);
      } else {
        reported = applyRandomChange(random, snapshot, index);
      }

      for (String job : index.jobNames()) {
        DiscoveryJob definition = index.job(job).orElseThrow();
        List<TargetGroup> full = TargetDiscovery.discover(definition, snapshot);
        assertThat(index.groups(job)).as("step %d, job %s", step, job).isEqualTo(full);
        // A job is reported changed exactly when its groups changed, and gets a new version then.
        boolean changed = !full.equals(previous.get(job));
        if (previous.containsKey(job)) {
          assertThat(reported.contains(job))
              .as("step %d, job %s reported", step, job)
              .isEqualTo(changed);
          assertThat(index.version(job) != versions.get(job)).isEqualTo(changed);
        }
        previous.put(job, full);
        versions.put(job, index.version(job));
        if (!full.isEmpty()) {
          nonEmptySteps++;
        }
      }
      previous.keySet().retainAll(index.jobNames());
    }
    // The random world did produce targets for the jobs most of the time.
    assertThat(nonEmptySteps).isGreaterThan(1500);
  }

  @Test
  void aPodChangeRecomputesOnlyTheSourcesItAffects() {
    InMemoryClusterSnapshot snapshot = new InMemoryClusterSnapshot();
    snapshot.put(namespace("a", "prod"));
    for (int i = 0; i < 50; i++) {
      snapshot.put(service("a", "svc" + i, "x", false, false));
      snapshot.put(pod("a", "pod" + i, "x", "n1", true, false, "10.1.0." + i));
      snapshot.put(slice("a", "svc" + i + "-s", "svc" + i, "IPv4", List.of("pod" + i)));
    }
    DiscoveryIndex index = new DiscoveryIndex(snapshot);
    DiscoveryJob endpoints = Fixtures.serviceJob(Role.ENDPOINTS);
    DiscoveryJob pods = Fixtures.podJob(PortFilter.ANY);
    index.setJobs(List.of(endpoints, pods));
    assertThat(index.groups(endpoints.name())).hasSize(150);
    long versionOfPods = index.version(pods.name());
    long before = index.sourcesComputed();

    snapshot.put(pod("a", "pod7", "x", "n1", false, false, "10.1.0.7"));
    SortedSet<String> changed = index.podChanged("a", "pod7");

    // The pod itself for the pod job, and the one slice that points at it for the endpoints job.
    assertThat(index.sourcesComputed() - before).isEqualTo(2);
    assertThat(changed).containsExactlyInAnyOrder(endpoints.name(), pods.name());
    assertThat(index.version(pods.name())).isGreaterThan(versionOfPods);

    before = index.sourcesComputed();
    snapshot.put(service("a", "svc3", "y", false, false));
    assertThat(index.serviceChanged("a", "svc3")).containsExactly(endpoints.name());
    assertThat(index.sourcesComputed() - before).isEqualTo(1);
  }

  @Test
  void aChangeThatChangesNoTargetKeepsTheVersion() {
    InMemoryClusterSnapshot snapshot = Fixtures.snapshot("checkout.yaml");
    DiscoveryIndex index = new DiscoveryIndex(snapshot);
    DiscoveryJob job = Fixtures.serviceJob(Role.ENDPOINTS, PortFilter.servicePortName("http"));
    assertThat(index.setJobs(List.of(job))).containsExactly(job.name());
    long version = index.version(job.name());

    snapshot.put(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().build());
    assertThat(index.nodeChanged("node-a")).isEmpty();
    assertThat(index.endpointSliceChanged("shop", "checkout-x7k2p")).isEmpty();
    assertThat(index.setJobs(List.of(job))).isEmpty();
    assertThat(index.version(job.name())).isEqualTo(version);

    assertThat(index.setJobs(List.of())).containsExactly(job.name());
    assertThat(index.version(job.name())).isZero();
    assertThat(index.groups(job.name())).isEmpty();
  }

  @Test
  void aPodArrivingAfterItsEndpointGetsItsLabelsIn() {
    InMemoryClusterSnapshot snapshot = Fixtures.snapshot("checkout.yaml");
    Pod pod = Fixtures.object("checkout.yaml", Pod.class, "checkout-6d4b9-abcde");
    snapshot.delete(pod);
    DiscoveryIndex index = new DiscoveryIndex(snapshot);
    DiscoveryJob job = Fixtures.serviceJob(Role.ENDPOINTSLICE);
    index.setJobs(List.of(job));
    assertThat(index.groups(job.name())).hasSize(1);

    snapshot.put(pod);
    assertThat(index.podChanged("shop", pod.getMetadata().getName())).containsExactly(job.name());
    assertThat(index.groups(job.name()))
        .isEqualTo(Fixtures.expectedGroups("checkout.endpointslice.expected.yaml"));
  }

  @Test
  void jobNamesMustBeUnique() {
    DiscoveryIndex index = new DiscoveryIndex(new InMemoryClusterSnapshot());
    DiscoveryJob job = Fixtures.podJob(PortFilter.ANY);
    assertThatThrownBy(() -> index.setJobs(List.of(job, job)))
        .hasMessage("two scrape jobs are named podMonitor/test/all/0");
  }

  // --- the random world -------------------------------------------------------------------

  private static List<DiscoveryJob> jobs() {
    LabelSelection appX =
        LabelSelection.of(new LabelSelectorBuilder().addToMatchLabels("app", "x").build());
    LabelSelection notY =
        LabelSelection.of(
            new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey("app")
                .withOperator("NotIn")
                .withValues("y")
                .endMatchExpression()
                .build());
    NamespaceSelection prod =
        new NamespaceSelection.Matching(
            LabelSelection.of(new LabelSelectorBuilder().addToMatchLabels("env", "prod").build()));
    NamespaceSelection ab = NamespaceSelection.names(List.of("a", "b"));
    return List.of(
        new DiscoveryJob(
            "se-all",
            Role.ENDPOINTS,
            NamespaceSelection.all(),
            new ByLabels(appX),
            PortFilter.ANY,
            true,
            false),
        new DiscoveryJob(
            "ses-prod",
            Role.ENDPOINTSLICE,
            prod,
            new ByLabels(notY),
            PortFilter.servicePortName("metrics"),
            true,
            true),
        new DiscoveryJob(
            "se-ab-target",
            Role.ENDPOINTS,
            ab,
            new ByLabels(LabelSelection.EVERYTHING),
            PortFilter.containerPortName("admin"),
            false,
            true),
        new DiscoveryJob(
            "ses-num",
            Role.ENDPOINTSLICE,
            NamespaceSelection.all(),
            new ByLabels(LabelSelection.EVERYTHING),
            PortFilter.containerPortNumber(8080),
            true,
            false),
        new DiscoveryJob(
            "pod-all",
            Role.POD,
            NamespaceSelection.all(),
            new ByLabels(appX),
            PortFilter.ANY,
            true,
            false),
        new DiscoveryJob(
            "pod-prod-node",
            Role.POD,
            prod,
            new ByLabels(notY),
            PortFilter.containerPortName("metrics"),
            false,
            true),
        DiscoveryJob.annotatedPods("annotated-pods", ab),
        DiscoveryJob.annotatedServices("annotated-services", prod));
  }

  private static DiscoveryJob variant(DiscoveryJob job, Random random) {
    return new DiscoveryJob(
        job.name(),
        job.role(),
        random.nextBoolean() ? NamespaceSelection.all() : job.namespaces(),
        job.selection(),
        random.nextBoolean() ? PortFilter.ANY : job.port(),
        !job.filterRunning(),
        job.attachNodeMetadata());
  }

  private static SortedSet<String> applyRandomChange(
      Random random, InMemoryClusterSnapshot snapshot, DiscoveryIndex index) {
    String ns = pick(random, NAMESPACES);
    boolean delete = random.nextInt(5) == 0;
    switch (random.nextInt(10)) {
      case 0 -> {
        Namespace namespace = namespace(ns, random.nextBoolean() ? "prod" : "dev");
        apply(snapshot, namespace, delete);
        return index.namespaceChanged(ns);
      }
      case 1 -> {
        String name = pick(random, NODES);
        Node node =
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("rack", "r" + random.nextInt(3))
                .endMetadata()
                .build();
        apply(snapshot, node, delete);
        return index.objectChanged(ObjectRef.node(name));
      }
      case 2, 3 -> {
        String name = pick(random, SERVICES);
        Service service =
            service(
                ns,
                name,
                random.nextBoolean() ? "x" : "y",
                random.nextBoolean(),
                random.nextInt(3) == 0);
        apply(snapshot, service, delete);
        return index.serviceChanged(ns, name);
      }
      case 4, 5, 6 -> {
        String name = pick(random, SERVICES) + "-" + random.nextInt(2);
        List<String> pods = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          pods.add(pick(random, PODS));
        }
        String owner = random.nextInt(6) == 0 ? null : pick(random, SERVICES);
        EndpointSlice slice =
            slice(ns, name, owner, random.nextInt(4) == 0 ? "IPv6" : "IPv4", pods);
        if (random.nextBoolean()) {
          slice.getPorts().remove(random.nextInt(slice.getPorts().size()));
        }
        for (var endpoint : slice.getEndpoints()) {
          endpoint.getConditions().setReady(random.nextInt(3) != 0);
          endpoint.getConditions().setTerminating(random.nextInt(4) == 0);
        }
        apply(snapshot, slice, delete);
        return index.endpointSliceChanged(ns, name);
      }
      default -> {
        String name = pick(random, PODS);
        Pod pod =
            pod(
                ns,
                name,
                random.nextBoolean() ? "x" : "y",
                pick(random, NODES),
                random.nextBoolean(),
                random.nextInt(4) == 0,
                random.nextInt(6) == 0
                    ? null
                    : "10." + ns.charAt(0) % 10 + ".0." + random.nextInt(4));
        if (random.nextInt(3) == 0) {
          pod.getMetadata()
              .getAnnotations()
              .put("prometheus.io/port", pick(random, List.of("8080", "9100", "7000", "x")));
        }
        apply(snapshot, pod, delete);
        return index.podChanged(ns, name);
      }
    }
  }

  private static void apply(InMemoryClusterSnapshot snapshot, HasMetadata object, boolean delete) {
    if (delete) {
      snapshot.delete(object);
    } else {
      snapshot.put(object);
    }
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  static Namespace namespace(String name, String env) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("env", env)
        .endMetadata()
        .build();
  }

  static Service service(String ns, String name, String app, boolean scrape, boolean dualStack) {
    ServiceBuilder builder =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .addToLabels("app", app)
            .endMetadata()
            .withNewSpec()
            .withClusterIP("10.96.0.1")
            .withIpFamilies(dualStack ? List.of("IPv4", "IPv6") : List.of("IPv4"))
            .withIpFamilyPolicy(dualStack ? "PreferDualStack" : "SingleStack")
            .endSpec();
    if (scrape) {
      builder.editMetadata().addToAnnotations("prometheus.io/scrape", "true").endMetadata();
    }
    return builder.build();
  }

  static EndpointSlice slice(
      String ns, String name, String service, String addressType, List<String> pods) {
    EndpointSliceBuilder builder =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .endMetadata()
            .withAddressType(addressType)
            .withPorts(
                new EndpointPortBuilder()
                    .withName("http")
                    .withPort(8080)
                    .withProtocol("TCP")
                    .build(),
                new EndpointPortBuilder()
                    .withName("metrics")
                    .withPort(9100)
                    .withProtocol("TCP")
                    .build());
    if (service != null) {
      builder.editMetadata().addToLabels("kubernetes.io/service-name", service).endMetadata();
    }
    int i = 0;
    for (String pod : pods) {
      builder.addToEndpoints(
          new EndpointBuilder()
              .withAddresses("IPv6".equals(addressType) ? "fd00::" + i : "10.9.0." + i)
              .withNewConditions()
              .withReady(true)
              .withServing(true)
              .withTerminating(false)
              .endConditions()
              .withNodeName("n" + (i % 4))
              .withNewTargetRef()
              .withKind("Pod")
              .withNamespace(ns)
              .withName(pod)
              .endTargetRef()
              .build());
      i++;
    }
    return builder.build();
  }

  static Pod pod(
      String ns, String name, String app, String node, boolean ready, boolean finished, String ip) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels("app", app)
        .addToAnnotations("prometheus.io/scrape", ready ? "true" : "false")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withContainers(
            new ContainerBuilder()
                .withName("app")
                .withImage("app:1")
                .withPorts(
                    new ContainerPortBuilder().withName("http").withContainerPort(8080).build(),
                    new ContainerPortBuilder().withName("admin").withContainerPort(8081).build())
                .build(),
            new ContainerBuilder()
                .withName("exporter")
                .withImage("exporter:1")
                .withPorts(
                    new ContainerPortBuilder().withName("metrics").withContainerPort(9100).build())
                .build())
        .endSpec()
        .withNewStatus()
        .withPhase(finished ? "Succeeded" : "Running")
        .withPodIP(ip)
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }
}
