package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The small world of the fault tests, on a {@link ControlPlane}: an application namespace with
 * pods, a Service and its EndpointSlice (there is no kubelet or endpoint controller, so the test
 * writes what they would), a ServiceMonitor, a PodMonitor and an AlertPolicy, and MonitoringStacks
 * selecting them. Also what the tests compare: a canonical snapshot of every object Vigil made and
 * of the custom resources' statuses, and the targets HTTP service discovery serves.
 */
public final class FaultWorld {
  public static final String APP_NS = "faults-app";
  public static final String STACK_NS = "faults-mon";
  public static final String GROUP_VERSION = "monitoring.vigil.dev/v1alpha1";
  public static final String API_JOB = "serviceMonitor/" + APP_NS + "/api/0";
  public static final String WORKER_JOB = "podMonitor/" + APP_NS + "/workers/0";

  /** Vigil's kinds whose statuses the snapshot holds. */
  static final List<String> VIGIL_KINDS =
      List.of("MonitoringStack", "ServiceMonitor", "PodMonitor", "AlertPolicy");

  /** Kinds Vigil makes for a stack: {apiVersion, kind, namespaced}. */
  private static final List<String[]> MADE_KINDS =
      List.of(
          new String[] {"v1", "Secret", "true"},
          new String[] {"v1", "ConfigMap", "true"},
          new String[] {"v1", "ServiceAccount", "true"},
          new String[] {"v1", "Service", "true"},
          new String[] {"v1", "PersistentVolumeClaim", "true"},
          new String[] {"apps/v1", "StatefulSet", "true"},
          new String[] {"apps/v1", "Deployment", "true"},
          new String[] {"apps/v1", "DaemonSet", "true"},
          new String[] {"policy/v1", "PodDisruptionBudget", "true"},
          new String[] {"networking.k8s.io/v1", "NetworkPolicy", "true"},
          new String[] {"rbac.authorization.k8s.io/v1", "Role", "true"},
          new String[] {"rbac.authorization.k8s.io/v1", "RoleBinding", "true"},
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRole", "false"},
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "false"});

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(
              com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

  private final KubernetesClient admin;

  public FaultWorld(KubernetesClient admin) {
    this.admin = admin;
  }

  /** Namespaces, the api Service with 3 pods, 3 worker pods, both monitors and a policy. */
  public void create() {
    apply(
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: %1$s, labels: {monitoring: enabled}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: %2$s}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: %1$s, labels: {app: api}}
        spec:
          selector: {app: api}
          ports: [{name: metrics, port: 80, targetPort: metrics}]
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: api, namespace: %1$s, labels: {team: faults}}
        spec:
          selector: {matchLabels: {app: api}}
          endpoints: [{port: metrics}]
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: PodMonitor
        metadata: {name: workers, namespace: %1$s, labels: {team: faults}}
        spec:
          selector: {matchLabels: {app: worker}}
          podMetricsEndpoints: [{port: metrics}]
        ---
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: AlertPolicy
        metadata: {name: availability, namespace: %1$s}
        spec:
          groups:
            - name: availability
              rules:
                - alert: TargetDown
                  expr: up == 0
                  for: 5m
                  labels: {severity: page}
        """
            .formatted(APP_NS, STACK_NS));
    for (int i = 0; i < 3; i++) {
      runningPod("api-" + i, "api", "10.244.0." + (i + 1));
      runningPod("worker-" + i, "worker", "10.244.1." + (i + 1));
    }
    apiEndpoints(List.of("api-0", "api-1", "api-2"));
  }

  /** A stack of {@code shards} shards selecting the monitors, with Alertmanager and KSM. */
  public void stack(String name, int shards) {
    stack(name, shards, "30s");
  }

  public void stack(String name, int shards, String scrapeInterval) {
    apply(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: %s}
        spec:
          scraper: {shards: %d, scrapeInterval: %s}
          monitorSelector:
            labelSelector: {matchLabels: {team: faults}}
            namespaceSelector: {matchLabels: {monitoring: enabled}}
          policySelector: {namespaceSelector: {}}
          alertmanager: {enabled: true, replicas: 1}
          kubeStateMetrics: {enabled: true}
        """
            .formatted(name, STACK_NS, shards, scrapeInterval));
  }

  public void apply(String yaml) {
    RealApiServer.apply(admin, yaml);
  }

  /** A Running, Ready pod at {@code ip}, as the kubelet would report it. */
  public void runningPod(String name, String app, String ip) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(APP_NS)
            .withLabels(Map.of("app", app))
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-a")
            .addNewContainer()
            .withName("app")
            .withImage("example/app:1")
            .addNewPort()
            .withName("metrics")
            .withContainerPort(8080)
            .endPort()
            .endContainer()
            .endSpec()
            .build();
    Pod created = admin.resource(pod).create();
    created.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .addNewPodIP(ip)
            .withHostIP("10.0.0.1")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .build());
    admin.pods().inNamespace(APP_NS).resource(created).updateStatus();
  }

  /** The api Service's one EndpointSlice, listing these pods (at their pod IPs). */
  public void apiEndpoints(List<String> podNames) {
    EndpointSliceBuilder slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName("api-x")
            .withNamespace(APP_NS)
            .withLabels(Map.of("kubernetes.io/service-name", "api"))
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("metrics")
            .withPort(8080)
            .withProtocol("TCP")
            .endPort();
    for (String podName : podNames) {
      Pod pod = admin.pods().inNamespace(APP_NS).withName(podName).get();
      slice
          .addNewEndpoint()
          .withAddresses(pod.getStatus().getPodIP())
          .withNewConditions()
          .withReady(true)
          .endConditions()
          .withNewTargetRef()
          .withKind("Pod")
          .withName(podName)
          .withNamespace(APP_NS)
          .endTargetRef()
          .endEndpoint();
    }
    EndpointSlice built = slice.build();
    admin.resource(built).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
  }

  // ---------------------------------------------------------------- what the tests compare

  public List<GenericKubernetesResource> vigilObjects(String kind) {
    return admin.genericKubernetesResources(GROUP_VERSION, kind).inAnyNamespace().list().getItems();
  }

  /** Every object labelled as made by Vigil, of every kind Vigil makes. */
  public List<GenericKubernetesResource> madeObjects() {
    List<GenericKubernetesResource> made = new ArrayList<>();
    for (String[] kind : MADE_KINDS) {
      var resources = admin.genericKubernetesResources(kind[0], kind[1]);
      var list =
          Boolean.parseBoolean(kind[2])
              ? resources.inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "vigil").list()
              : resources.withLabel("app.kubernetes.io/managed-by", "vigil").list();
      made.addAll(list.getItems());
    }
    return made;
  }

  /**
   * "Kind namespace/name" → canonical JSON: the objects Vigil made with their specs and data, and
   * the statuses of Vigil's resources, without what the API server assigns (resourceVersion, uid,
   * timestamps, managedFields, cluster IPs) or time-stamped status fields.
   */
  public Map<String, String> snapshot() {
    Map<String, String> snapshot = new TreeMap<>();
    for (GenericKubernetesResource made : madeObjects()) {
      ObjectNode node = JSON.valueToTree(made);
      cleanMetadata(node);
      node.remove("status");
      if ("Service".equals(made.getKind()) && node.path("spec") instanceof ObjectNode spec) {
        spec.remove(List.of("clusterIP", "clusterIPs"));
      }
      snapshot.put(key(made), node.toString());
    }
    for (String kind : VIGIL_KINDS) {
      for (GenericKubernetesResource resource : vigilObjects(kind)) {
        JsonNode status = JSON.valueToTree(resource).path("status");
        removeTimes(status);
        List<String> finalizers = resource.getMetadata().getFinalizers();
        snapshot.put(key(resource), "finalizers=" + finalizers + " status=" + status);
      }
    }
    return snapshot;
  }

  private static String key(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return object.getKind()
        + " "
        + (namespace == null ? "" : namespace + "/")
        + object.getMetadata().getName();
  }

  private static void cleanMetadata(ObjectNode node) {
    ObjectNode metadata = (ObjectNode) node.path("metadata");
    // JOSDK's marker of its own last write: a random value per write.
    if (metadata.path("annotations") instanceof ObjectNode annotations) {
      annotations.remove("javaoperatorsdk.io/previous");
      if (annotations.isEmpty()) {
        metadata.remove("annotations");
      }
    }
    metadata.remove(
        List.of(
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "managedFields",
            "generation",
            "selfLink"));
  }

  private static void removeTimes(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (name.endsWith("Time") || name.endsWith("Timestamp")) {
          names.remove();
        } else {
          removeTimes(object.get(name));
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(FaultWorld::removeTimes);
    }
  }

  /** Whether every Vigil resource's status has caught up with its spec. */
  public boolean statusesObserved() {
    for (String kind : VIGIL_KINDS) {
      for (GenericKubernetesResource resource : vigilObjects(kind)) {
        if (resource.getMetadata().getDeletionTimestamp() != null) {
          return false;
        }
        Object status = resource.getAdditionalProperties().get("status");
        Object observed = status instanceof Map<?, ?> map ? map.get("observedGeneration") : null;
        if (!(observed instanceof Number number)
            || number.longValue() != resource.getMetadata().getGeneration()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Objects Vigil made whose owner is gone, and groups of objects that do the same job twice (same
   * kind, stack, component and shard under different names). Cluster-scoped objects cannot have a
   * namespaced owner: their stack, named by label and by name, must exist.
   */
  public List<String> orphansAndDuplicates() {
    Map<String, String> liveOwners = new HashMap<>();
    Set<String> stacks = new TreeSet<>();
    for (String kind : VIGIL_KINDS) {
      for (GenericKubernetesResource resource : vigilObjects(kind)) {
        liveOwners.put(resource.getMetadata().getUid(), kind);
        if ("MonitoringStack".equals(kind)) {
          stacks.add(
              resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName());
        }
      }
    }
    List<String> problems = new ArrayList<>();
    Map<String, List<String>> jobs = new TreeMap<>();
    for (GenericKubernetesResource made : madeObjects()) {
      Map<String, String> labels = made.getMetadata().getLabels();
      String instance = labels.get("app.kubernetes.io/instance");
      if (made.getMetadata().getNamespace() == null) {
        String name = made.getMetadata().getName();
        boolean owned =
            stacks.stream()
                .anyMatch(
                    s ->
                        s.endsWith("/" + instance)
                            && name.startsWith("vigil-" + s.substring(0, s.indexOf('/')) + "-"));
        if (!owned) {
          problems.add("orphan " + key(made) + " (no stack " + instance + ")");
        }
      } else {
        List<OwnerReference> owners = made.getMetadata().getOwnerReferences();
        if (owners == null
            || owners.isEmpty()
            || !owners.stream().allMatch(o -> liveOwners.containsKey(o.getUid()))) {
          problems.add("orphan " + key(made) + " (owners " + owners + ")");
        }
      }
      String job =
          made.getKind()
              + " "
              + made.getMetadata().getNamespace()
              + " "
              + instance
              + " "
              + labels.get("app.kubernetes.io/component")
              + " "
              + labels.get("monitoring.vigil.dev/shard");
      jobs.computeIfAbsent(job, j -> new ArrayList<>()).add(made.getMetadata().getName());
    }
    jobs.forEach(
        (job, names) -> {
          if (names.size() > 1 && !job.startsWith("Secret ") && !job.startsWith("ConfigMap ")) {
            problems.add("duplicate " + job + ": " + names);
          }
        });
    return problems;
  }

  /** The stack's HTTP SD bearer token, from the Secret Vigil generated. */
  public Optional<String> sdToken(String stack) {
    var secret = admin.secrets().inNamespace(STACK_NS).withName(stack + "-sd-token").get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey("token")) {
      return Optional.empty();
    }
    return Optional.of(
        new String(
            Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8));
  }

  static String sdPath(String stack, int shard, String job) {
    return "/sd/v1/"
        + STACK_NS
        + "/"
        + stack
        + "/"
        + shard
        + "/"
        + URLEncoder.encode(job, StandardCharsets.UTF_8);
  }

  /** Every target address of a job over all shards, as one operator's HTTP SD serves them. */
  public static Optional<Set<String>> servedTargets(
      OperatorProcess operator, String token, String stack, int shards, String job) {
    Set<String> addresses = new TreeSet<>();
    for (int shard = 0; shard < shards; shard++) {
      Optional<String> body = operator.getWithToken(sdPath(stack, shard, job), token);
      if (body.isEmpty()) {
        return Optional.empty();
      }
      try {
        for (JsonNode group : JSON.readTree(body.get())) {
          group.path("targets").forEach(t -> addresses.add(t.asText()));
        }
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
    }
    return Optional.of(addresses);
  }

  /** What differs between two snapshots, one line a difference, for a readable failure. */
  public static List<String> differences(Map<String, String> expected, Map<String, String> actual) {
    List<String> differences = new ArrayList<>();
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      String e = expected.get(key);
      String a = actual.get(key);
      if (e == null || a == null) {
        differences.add(key + (e == null ? ": only in the second" : ": only in the first"));
      } else if (!e.equals(a)) {
        int at = 0;
        while (at < Math.min(e.length(), a.length()) && e.charAt(at) == a.charAt(at)) {
          at++;
        }
        int from = Math.max(0, at - 150);
        differences.add(
            key
                + ": first …"
                + e.substring(from, Math.min(e.length(), at + 150))
                + "… second …"
                + a.substring(from, Math.min(a.length(), at + 150))
                + "…");
      }
    }
    return differences;
  }

  public static void assertNoProblems(List<String> problems) {
    assertThat(problems).as("orphaned or duplicate objects").isEmpty();
  }
}
