package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.KubeletEnv;
import dev.vigil.e2e.harness.LoopbackTracing;
import dev.vigil.e2e.harness.LoopbackTracing.Collector;
import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.OtlpTraces;
import dev.vigil.e2e.harness.OtlpTraces.Span;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.Workloads;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.collector.CollectorNames;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.jaeger.JaegerNames;
import dev.vigil.reconcilers.objects.ServiceHost;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TracingPipeline in {@code mode: agent} with {@code k8s_attributes}, end to end on the real API
 * server: the operator (as its ServiceAccount, with the RBAC Vigil ships) writes the agents'
 * ConfigMap, DaemonSet, ServiceAccount and ClusterRole; the real collector runs the ConfigMap's
 * file with the environment the kubelet gives the DaemonSet's container on node {@value #NODE}
 * ({@link KubeletEnv}) and a token of the agents' own ServiceAccount, so what {@code
 * k8s_attributes} sees is what that RBAC lets it read; it exports to the real Jaeger (run on the
 * {@code JaegerConfigBuilder} file of the same pipeline).
 *
 * <p>On the API server: nodes {@value #NODE} and {@value #OTHER_NODE}; a Deployment's pod (through
 * its ReplicaSet, {@code pod-template-hash} label) on {@value #NODE} with pod IP {@value #POD_IP},
 * and a pod on {@value #OTHER_NODE} with pod IP {@value #OTHER_POD_IP}. Stand-in apps send OTLP
 * HTTP to the agent's receiver from those source addresses (the receiver's loopback port stands in
 * for the node-local endpoint), as pods' connections arrive from their IPs. Spans from the pod on
 * the agent's node reach Jaeger with that pod's name, UID, namespace, node and Deployment; spans
 * from the other node's pod are never attributed, since the agent watches its node's pods only, and
 * the same file without the node filter (a control) does attribute them.
 *
 * <p>What the test changes in the file, as the pod's surroundings would: the listeners move to
 * loopback ({@link LoopbackTracing}), the Jaeger Service's address to Jaeger's loopback port, and
 * {@code auth_type: serviceAccount} (the token the kubelet projects at a fixed path) to {@code
 * kubeConfig} with a kubeconfig holding a token of the same ServiceAccount.
 */
class TracingAgentIT {
  static final String NS = "traces-platform";
  static final String APP_NS = "traces-shop";
  static final String PIPELINE = "node-traces";
  static final String NODE = "trace-node-a";
  static final String OTHER_NODE = "trace-node-b";
  static final String POD_IP = "127.0.0.2";
  static final String OTHER_POD_IP = "127.0.0.3";
  static final String HOST_IP = "127.0.0.1";
  static final Duration FOUND_WITHIN = Duration.ofSeconds(30);

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;

  private final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void start() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NS);
    RealApiServer.ensureNamespace(APP_NS);
    operator =
        OperatorAsServiceAccount.start(
            List.of("--leader-election=false", "--http-port=0", "--platform-namespaces=" + NS),
            new VigilOperator.Runtime(true, false));
  }

  /**
   * Leaves the shared API server as other tests expect it: the pipeline deleted while the operator
   * still runs (its finalizer removes the ClusterRole), and no nodes.
   */
  @AfterAll
  static void stop() {
    if (operator != null) {
      admin.resources(TracingPipeline.class).inNamespace(NS).withName(PIPELINE).delete();
      await("the pipeline deleted")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  admin.resources(TracingPipeline.class).inNamespace(NS).withName(PIPELINE).get()
                      == null);
      operator.close();
    }
    for (String node : List.of(NODE, OTHER_NODE)) {
      admin.nodes().withName(node).delete();
    }
  }

  @Test
  void spansCarryTheirPodsMetadataFromTheApiServerForTheAgentsNodeOnly(@TempDir Path dir)
      throws Exception {
    RealApiServer.apply(
        admin,
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: TracingPipeline
        metadata: {name: %s, namespace: %s}
        spec:
          mode: agent
          processors:
            k8sAttributes: {enabled: true}
            batch: {timeout: 100ms}
          exporters:
            jaeger: {storage: memory, maxTraces: 1000}
        """
            .formatted(PIPELINE, NS));
    String agents = CollectorNames.service(PIPELINE);
    ConfigMap configMap =
        await("the agents' ConfigMap")
            .atMost(Duration.ofSeconds(60))
            .until(() -> admin.configMaps().inNamespace(NS).withName(agents).get(), c -> c != null);
    DaemonSet daemonSet =
        await("the agents' DaemonSet")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admin.apps().daemonSets().inNamespace(NS).withName(agents).get(),
                d -> d != null);
    String rendered = configMap.getData().get("collector.yaml");
    assertThat(rendered)
        .as("the agent's k8s_attributes watches its own node's pods")
        .contains("node_from_env_var: K8S_NODE_NAME");

    // The cluster: two nodes, the Deployment's pod on the agent's node, another pod elsewhere.
    for (String node : List.of(NODE, OTHER_NODE)) {
      admin
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
          .createOr(existing -> existing.update());
    }
    Pod checkout = checkoutPod();
    Pod other = runningPod(pod(APP_NS, "batch-0", "batch", OTHER_NODE).build(), OTHER_POD_IP);

    // The agent's pod as the DaemonSet makes it on NODE, and its container's environment.
    Container container = daemonSet.getSpec().getTemplate().getSpec().getContainers().get(0);
    Pod agentPod =
        new PodBuilder()
            .withNewMetadata()
            .withName(agents + "-x7k2p")
            .withNamespace(NS)
            .withUid("00000000-0000-0000-0000-000000000001")
            .endMetadata()
            .withSpec(daemonSet.getSpec().getTemplate().getSpec())
            .build();
    Map<String, String> env =
        new LinkedHashMap<>(KubeletEnv.of(agentPod, container, NODE, HOST_IP, HOST_IP));
    assertThat(env).containsEntry("K8S_NODE_NAME", NODE);
    String serviceAccount = daemonSet.getSpec().getTemplate().getSpec().getServiceAccountName();
    env.put(
        "KUBECONFIG",
        RealApiServer.serviceAccountKubeconfig(dir.resolve("agent-kubeconfig"), NS, serviceAccount)
            .toString());

    TracingPipeline pipeline =
        admin.resources(TracingPipeline.class).inNamespace(NS).withName(PIPELINE).get();
    String jaegerService =
        ServiceHost.of(JaegerNames.service(PIPELINE), NS)
            + ":"
            + JaegerConfigBuilder.OTLP_GRPC_PORT;
    assertThat(rendered).contains(jaegerService, "auth_type: serviceAccount");
    try (LoopbackTracing.Jaeger jaeger = LoopbackTracing.startJaeger(pipeline, dir)) {
      String local =
          rendered
              .replace(jaegerService, "127.0.0.1:" + jaeger.otlpGrpcPort())
              .replace("auth_type: serviceAccount", "auth_type: kubeConfig");

      try (Collector agent = LoopbackTracing.startCollector("agent", local, env, dir)) {
        // 1. The pod on the agent's node: every attribute of exactly that pod. The informer may
        // not have listed the pods when the first span comes, so send until one is attributed,
        // then every later one must be.
        long start = System.nanoTime();
        Map<String, String> first =
            await("a checkout span with its pod's metadata")
                .atMost(FOUND_WITHIN)
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () ->
                        resource(
                            awaitTrace(jaeger, "checkout", send(agent, POD_IP, "checkout"), agent)),
                    resource -> resource.containsKey("k8s.pod.name"));
        Map<String, String> expected = new TreeMap<>();
        expected.put("k8s.pod.name", checkout.getMetadata().getName());
        expected.put("k8s.pod.uid", checkout.getMetadata().getUid());
        expected.put("k8s.namespace.name", APP_NS);
        expected.put("k8s.node.name", NODE);
        expected.put("k8s.deployment.name", "checkout");
        expected.put("k8s.pod.start_time", checkout.getStatus().getStartTime());
        expected.put("service.name", "checkout");
        assertThat(first).as("the checkout pod's spans' resource").isEqualTo(expected);
        System.out.printf(
            "TracingAgentIT: first span with its pod's metadata in Jaeger %d ms after the agent"
                + " was ready%n",
            Duration.ofNanos(System.nanoTime() - start).toMillis());
        String again = send(agent, POD_IP, "checkout");
        assertThat(resource(awaitTrace(jaeger, "checkout", again, agent)))
            .as("a later checkout span's resource")
            .isEqualTo(expected);

        // 2. The pod on the other node: the agent does not watch it, so nothing is added.
        String elsewhere = send(agent, OTHER_POD_IP, "batch");
        assertThat(resource(awaitTrace(jaeger, "batch", elsewhere, agent)))
            .as("spans of a pod on another node")
            .isEqualTo(Map.of("service.name", "batch"));
        assertThat(agent.process().log()).doesNotContainIgnoringCase("forbidden");
      }

      // 3. Control: the same file without the node filter does attribute that pod, so the
      // absence above is the filter's doing (and the agents' RBAC reaches every namespace).
      String unfiltered = local.replace("node_from_env_var: K8S_NODE_NAME", "");
      assertThat(unfiltered).isNotEqualTo(local);
      try (Collector control = LoopbackTracing.startCollector("control", unfiltered, env, dir)) {
        Map<String, String> resource =
            await("a batch span with its pod's metadata through the unfiltered control")
                .atMost(FOUND_WITHIN)
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () ->
                        resource(
                            awaitTrace(
                                jaeger, "batch", send(control, OTHER_POD_IP, "batch"), control)),
                    r -> r.containsKey("k8s.pod.name"));
        assertThat(resource)
            .containsEntry("k8s.pod.name", "batch-0")
            .containsEntry("k8s.pod.uid", other.getMetadata().getUid())
            .containsEntry("k8s.node.name", OTHER_NODE);
      }
    }
  }

  /** A Deployment {@code checkout}, its ReplicaSet, and its running pod on {@link #NODE}. */
  private Pod checkoutPod() {
    ReplicaSet replicaSet = Workloads.deploymentReplicaSet(admin, APP_NS, "checkout", "6f7c9d8b5");
    Pod pod =
        pod(APP_NS, "checkout-6f7c9d8b5-q4w8z", "checkout", NODE)
            .editMetadata()
            .addToLabels("pod-template-hash", "6f7c9d8b5")
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("ReplicaSet")
                    .withName(replicaSet.getMetadata().getName())
                    .withUid(replicaSet.getMetadata().getUid())
                    .withController(true)
                    .build())
            .endMetadata()
            .build();
    return runningPod(pod, POD_IP);
  }

  private static PodBuilder pod(String namespace, String name, String app, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withAutomountServiceAccountToken(false)
        .addNewContainer()
        .withName("app")
        .withImage("shop/" + app + ":1")
        .endContainer()
        .endSpec();
  }

  /** Creates the pod, then writes the status its kubelet would: Running with {@code ip}. */
  private static Pod runningPod(Pod pod, String ip) {
    Pod created = admin.resource(pod).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .withHostIP(HOST_IP)
            .withPodIP(ip)
            .withPodIPs(new PodIPBuilder().withIp(ip).build())
            .withStartTime(
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
            .build());
    return admin.resource(created).updateStatus();
  }

  /** Sends one trace of {@code service} (a root and a child span) from {@code source}. */
  private String send(Collector collector, String source, String service) throws Exception {
    HexFormat hex = HexFormat.of();
    byte[] id = new byte[16];
    byte[] root = new byte[8];
    byte[] child = new byte[8];
    random.nextBytes(id);
    random.nextBytes(root);
    random.nextBytes(child);
    id[0] |= 0x10;
    String traceId = hex.formatHex(id);
    long now = System.currentTimeMillis() * 1_000_000L;
    OtlpTraces.postFrom(
        InetAddress.getByName(source),
        collector.otlpHttp(),
        OtlpTraces.body(
            service,
            List.of(
                new Span(
                    traceId, hex.formatHex(root), null, "handle", now, now + 5_000_000L, false),
                new Span(
                    traceId,
                    hex.formatHex(child),
                    hex.formatHex(root),
                    "query",
                    now + 1_000_000L,
                    now + 4_000_000L,
                    false))));
    return traceId;
  }

  /** The trace {@code traceId} of {@code service} in Jaeger; fails when it does not come. */
  private static JsonNode awaitTrace(
      LoopbackTracing.Jaeger jaeger, String service, String traceId, Collector collector)
      throws Exception {
    JsonNode trace =
        LoopbackTracing.awaitTrace(
            jaeger.query(), service, t -> t.path("traceID").asText().equals(traceId), FOUND_WITHIN);
    assertThat(trace)
        .as(
            "trace %s of %s in Jaeger%njaeger:%n%s%ncollector:%n%s",
            traceId, service, jaeger.process().log(), collector.process().log())
        .isNotNull();
    assertThat(trace.path("spans")).hasSize(2);
    return trace;
  }

  /** The resource attributes of a trace's (one) process, as Jaeger shows them. */
  private static Map<String, String> resource(JsonNode trace) {
    assertThat(trace.path("processes")).hasSize(1);
    JsonNode process = trace.path("processes").elements().next();
    Map<String, String> attributes = new TreeMap<>();
    attributes.put("service.name", process.path("serviceName").asText());
    for (JsonNode tag : process.path("tags")) {
      attributes.put(tag.path("key").asText(), tag.path("value").asText());
    }
    return attributes;
  }
}
