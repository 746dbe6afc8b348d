package dev.vigil.e2e;

import static dev.vigil.e2e.harness.RealApiServer.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Vigil under GitOps, on the real API server: a GitOps tool (here the real kubectl, with Argo CD's
 * field manager) server-side applies one object of each kind; the operator, in-process as the
 * ServiceAccount of manifests/rbac, reconciles them. Vigil must write only status (and finalizers)
 * of those objects, so re-applying them changes nothing and shows no drift; it must own what it
 * makes, restore its own fields when another writer changes them and leave the other writer's
 * fields alone; and deleting a stack or pipeline must remove what it made, cluster-scoped too.
 *
 * <p>{@link FluxGitOpsIT} does the same with a real GitOps controller (Flux's
 * kustomize-controller); this test stays for what that one does not cover: Argo CD's field manager,
 * other writers taken back, the autoscaler's replicas, and deleting a stack with cluster-scoped
 * objects.
 *
 * <p>The tests run in order on one set of objects: the last one deletes them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitOpsIT {
  static final String NAMESPACE = "gitops";
  static final Path MANIFESTS = Path.of("e2e/src/test/resources/gitops/vigil-objects.yaml");

  /** The field manager Argo CD applies with when ServerSideApply=true. */
  static final String GITOPS_MANAGER = "argocd-controller";

  static final String VIGIL = "vigil";
  static final String GROUP_VERSION = "monitoring.vigil.dev/v1alpha1";
  static final List<String> VIGIL_KINDS =
      List.of("MonitoringStack", "ServiceMonitor", "PodMonitor", "AlertPolicy", "TracingPipeline");

  /** Every namespaced kind Vigil makes (its dependents), apiVersion and kind. */
  static final List<String[]> NAMESPACED_KINDS =
      List.of(
          new String[] {"v1", "ConfigMap"},
          new String[] {"v1", "Secret"},
          new String[] {"v1", "Service"},
          new String[] {"v1", "ServiceAccount"},
          new String[] {"v1", "PersistentVolumeClaim"},
          new String[] {"apps/v1", "StatefulSet"},
          new String[] {"apps/v1", "Deployment"},
          new String[] {"apps/v1", "DaemonSet"},
          new String[] {"policy/v1", "PodDisruptionBudget"},
          new String[] {"networking.k8s.io/v1", "NetworkPolicy"},
          new String[] {"rbac.authorization.k8s.io/v1", "Role"},
          new String[] {"rbac.authorization.k8s.io/v1", "RoleBinding"},
          new String[] {"autoscaling/v2", "HorizontalPodAutoscaler"});

  static final List<String[]> CLUSTER_KINDS =
      List.of(
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRole"},
          new String[] {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"});

  /** The one object of the manifests that is not a Vigil kind: a Secret the monitors reference. */
  static final String USERS_SECRET = "web-credentials";

  static final String STATEFUL_SET = "gitops-prometheus-0";
  static final String COLLECTOR = "traces-collector";

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;

  @BeforeAll
  static void applyTheManifestsAndStartTheOperator() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(NAMESPACE);
    kubectl(applyArgs().toArray(String[]::new));
    // Only this test's namespace: objects other tests left elsewhere cannot change ours. A
    // platform namespace, as a platform team's GitOps repository deploys to: its stacks and
    // pipelines make cluster-scoped objects, whose cleanup this test checks.
    operator =
        OperatorAsServiceAccount.start(
            List.of(
                "--watch-namespaces=" + NAMESPACE,
                "--platform-namespaces=" + NAMESPACE,
                "--leader-election=false",
                "--http-port=0"),
            new VigilOperator.Runtime(true, false));
    await().atMost(Duration.ofSeconds(60)).until(operator.vigil()::ready);
    awaitReconciled();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  static List<String> applyArgs() {
    return List.of(
        "apply", "--server-side", "--field-manager=" + GITOPS_MANAGER, "-f", MANIFESTS.toString());
  }

  /** Every user object says Reconciled=True for its generation; the stack's parts exist. */
  static void awaitReconciled() {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (GenericKubernetesResource object : userObjects()) {
                Map<String, Object> status = object.get("status");
                assertThat(status).as(describe(object)).isNotNull();
                assertThat(status.get("observedGeneration"))
                    .as(describe(object))
                    .isEqualTo(object.getMetadata().getGeneration().intValue());
                assertThat(condition(object, "Reconciled")).as(describe(object)).isEqualTo("True");
              }
              assertThat(statefulSet()).isNotNull();
              assertThat(collector()).isNotNull();
              // The copies of the referenced keys, for Prometheus and for Alertmanager.
              assertThat(
                      admin.secrets().inNamespace(NAMESPACE).list().getItems().stream()
                          .map(secret -> secret.getMetadata().getName()))
                  .contains("gitops-prometheus-credentials", "gitops-alertmanager-credentials");
              assertThat(vigilsClusterObjects()).hasSize(4);
            });
  }

  @Test
  @Order(1)
  void vigilWritesOnlyStatusAndFinalizersOfTheUsersObjects() {
    List<GenericKubernetesResource> objects = userObjects();
    assertThat(objects).extracting(GenericKubernetesResource::getKind).hasSize(5);
    for (GenericKubernetesResource object : objects) {
      List<ManagedFieldsEntry> vigils = entriesOf(object, VIGIL);
      assertThat(vigils).as(describe(object)).isNotEmpty();
      for (ManagedFieldsEntry entry : vigils) {
        TreeSet<String> fields = fieldPaths(entry);
        assertThat(entry.getOperation()).as(describe(object)).isEqualTo("Apply");
        if ("status".equals(entry.getSubresource())) {
          assertThat(fields).as(describe(object)).allMatch(f -> f.startsWith("f:status"));
        } else {
          // Through the main resource Vigil may only hold its finalizer: no spec, no labels.
          assertThat(fields)
              .as("%s: fields %s owns outside status", describe(object), VIGIL)
              .allMatch(f -> f.startsWith("f:metadata.f:finalizers"));
        }
      }
      // The GitOps tool still owns the spec it applied (no field of it moved to Vigil, above).
      assertThat(entriesOf(object, GITOPS_MANAGER))
          .singleElement()
          .satisfies(e -> assertThat(fieldPaths(e)).anyMatch(f -> f.startsWith("f:spec.")));
    }
    // Stacks and pipelines carry a finalizer: their cluster-scoped objects cannot be owned.
    for (GenericKubernetesResource object : objects) {
      switch (object.getKind()) {
        case "MonitoringStack" ->
            assertThat(object.getMetadata().getFinalizers())
                .containsExactly("monitoringstacks.monitoring.vigil.dev/finalizer");
        case "TracingPipeline" ->
            assertThat(object.getMetadata().getFinalizers())
                .containsExactly("tracingpipelines.monitoring.vigil.dev/finalizer");
        default -> assertThat(object.getMetadata().getFinalizers()).as(describe(object)).isEmpty();
      }
    }
  }

  @Test
  @Order(2)
  void everythingVigilMakesIsLabelledOwnedAndAppliedAsVigil() {
    List<GenericKubernetesResource> made = vigilsNamespacedObjects();
    Map<String, String> uids = new TreeMap<>();
    for (GenericKubernetesResource object : userObjects()) {
      uids.put(
          object.getMetadata().getUid(), object.getKind() + "/" + object.getMetadata().getName());
    }
    // No controllers run here, so nothing else makes objects in this namespace: everything in it
    // besides the user's objects (and Events) is Vigil's.
    assertThat(made).hasSizeGreaterThan(20);
    for (GenericKubernetesResource object : made) {
      Map<String, String> labels = object.getMetadata().getLabels();
      assertThat(labels)
          .as(describe(object))
          .containsEntry("app.kubernetes.io/managed-by", VIGIL)
          .containsEntry("app.kubernetes.io/part-of", VIGIL)
          .containsKey("app.kubernetes.io/instance");
      assertThat(object.getMetadata().getOwnerReferences()).as(describe(object)).hasSize(1);
      OwnerReference owner = object.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getController()).as(describe(object)).isTrue();
      assertThat(uids).as(describe(object)).containsKey(owner.getUid());
      assertThat(labels.get("app.kubernetes.io/instance"))
          .as(describe(object))
          .isEqualTo(owner.getName());
      assertThat(entriesOf(object, VIGIL))
          .as("%s, managed by %s", describe(object), managers(object))
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.getOperation()).isEqualTo("Apply"));
    }
    for (GenericKubernetesResource object : vigilsClusterObjects()) {
      assertThat(object.getMetadata().getLabels())
          .as(describe(object))
          .containsEntry("app.kubernetes.io/managed-by", VIGIL)
          .containsEntry("app.kubernetes.io/part-of", VIGIL)
          .containsKey("app.kubernetes.io/instance");
      assertThat(entriesOf(object, VIGIL))
          .as("%s, managed by %s", describe(object), managers(object))
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.getOperation()).isEqualTo("Apply"));
    }
  }

  @Test
  @Order(3)
  void reapplyingTheManifestsChangesNothingAndShowsNoDrift() throws Exception {
    Map<String, String> before = resourceVersions();
    kubectl(applyArgs().toArray(String[]::new));
    // kubectl diff exits 1 on any difference, which fails run() with the diff as the message.
    kubectl(
        "diff", "--server-side", "--field-manager=" + GITOPS_MANAGER, "-f", MANIFESTS.toString());
    // A few seconds for any reconcile the apply might have set off to write.
    Thread.sleep(3000);
    assertThat(resourceVersions()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void vigilRestoresItsOwnFieldsAndLeavesAnotherWritersFieldsAlone() {
    Map<String, String> before = resourceVersions();
    String image = prometheusContainer(statefulSet()).getImage();
    // As `kubectl edit` would: an Update by another field manager changes a field Vigil owns (the
    // Prometheus image) and adds one Vigil knows nothing of (an annotation).
    admin
        .apps()
        .statefulSets()
        .inNamespace(NAMESPACE)
        .withName(STATEFUL_SET)
        .edit(
            s -> {
              prometheusContainer(s).setImage("example.com/someone-elses/prometheus:latest");
              Map<String, String> annotations = new TreeMap<>();
              if (s.getMetadata().getAnnotations() != null) {
                annotations.putAll(s.getMetadata().getAnnotations());
              }
              annotations.put("example.com/edited-by", "someone");
              s.getMetadata().setAnnotations(annotations);
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(prometheusContainer(statefulSet()).getImage()).isEqualTo(image));
    assertThat(statefulSet().getMetadata().getAnnotations())
        .containsEntry("example.com/edited-by", "someone");
    assertThat(entriesOf(asGeneric(statefulSet()), VIGIL))
        .allSatisfy(e -> assertThat(fieldPaths(e)).noneMatch(f -> f.contains("edited-by")));

    // Server-side apply with force from another manager takes a label Vigil sets; Vigil takes it
    // back.
    admin
        .apps()
        .statefulSets()
        .inNamespace(NAMESPACE)
        .withName(STATEFUL_SET)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("someone-else")
                .withForce(true)
                .build(),
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\""
                + STATEFUL_SET
                + "\",\"labels\":{\"app.kubernetes.io/part-of\":\"someone-else\"}}}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(statefulSet().getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/part-of", VIGIL));

    // The reconciles this set off rewrote nothing else.
    Map<String, String> after = resourceVersions();
    after.remove("StatefulSet/" + STATEFUL_SET);
    before.remove("StatefulSet/" + STATEFUL_SET);
    assertThat(after).isEqualTo(before);
  }

  @Test
  @Order(5)
  void replicasLeftToTheAutoscalerStayAsItSetThem() {
    assertThat(
            admin
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(NAMESPACE)
                .withName(COLLECTOR)
                .get())
        .isNotNull();
    assertThat(entriesOf(asGeneric(collector()), VIGIL))
        .allSatisfy(e -> assertThat(fieldPaths(e)).doesNotContain("f:spec.f:replicas"));
    // The HPA controller (which does not run here) scales through the scale subresource.
    admin.apps().deployments().inNamespace(NAMESPACE).withName(COLLECTOR).scale(4);
    assertThat(collector().getSpec().getReplicas()).isEqualTo(4);
    // Make Vigil reconcile the pipeline: change a field it owns, wait until it is restored.
    String image = collector().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName(COLLECTOR)
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setImage("example.com/x:1");
              return d;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        collector()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo(image));
    assertThat(collector().getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  @Order(6)
  void deletingTheStackAndThePipelineRemovesWhatVigilMadeForThem() throws Exception {
    Map<String, String> owners = new TreeMap<>();
    for (GenericKubernetesResource object : userObjects()) {
      owners.put(object.getMetadata().getUid(), object.getKind());
    }
    List<GenericKubernetesResource> made = vigilsNamespacedObjects();
    assertThat(vigilsClusterObjects()).hasSize(4);

    kubectl(
        "delete",
        "--wait=false",
        "-n",
        NAMESPACE,
        "monitoringstack/gitops",
        "tracingpipeline/traces");
    // Vigil's cleanup deletes the cluster-scoped ClusterRoles and ClusterRoleBindings, which no
    // owner reference can reach, then removes its finalizer, so the objects go.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(userObjects())
                  .extracting(GenericKubernetesResource::getKind)
                  .containsExactlyInAnyOrder("ServiceMonitor", "PodMonitor", "AlertPolicy");
              assertThat(vigilsClusterObjects()).isEmpty();
            });
    // Namespaced objects go through the garbage collector of kube-controller-manager, which does
    // not run beside a bare kube-apiserver: here they stay. What makes the collector delete them
    // in a cluster is an owner reference to the deleted object (with blockOwnerDeletion, so a
    // foreground deletion waits for them); every one of them carries one.
    for (GenericKubernetesResource object : made) {
      OwnerReference owner = object.getMetadata().getOwnerReferences().get(0);
      assertThat(owners.get(owner.getUid()))
          .as(describe(object))
          .isIn("MonitoringStack", "TracingPipeline");
      assertThat(owner.getBlockOwnerDeletion()).as(describe(object)).isTrue();
    }
  }

  // --- reading the cluster ---

  static List<GenericKubernetesResource> userObjects() {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String kind : VIGIL_KINDS) {
      objects.addAll(
          admin
              .genericKubernetesResources(GROUP_VERSION, kind)
              .inNamespace(NAMESPACE)
              .list()
              .getItems());
    }
    return objects;
  }

  static List<GenericKubernetesResource> vigilsNamespacedObjects() {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String[] kind : NAMESPACED_KINDS) {
      for (GenericKubernetesResource object :
          admin
              .genericKubernetesResources(kind[0], kind[1])
              .inNamespace(NAMESPACE)
              .list()
              .getItems()) {
        if (!USERS_SECRET.equals(object.getMetadata().getName())) {
          objects.add(object);
        }
      }
    }
    return objects;
  }

  /** Vigil's ClusterRoles and ClusterRoleBindings for this namespace's stack and pipeline. */
  static List<GenericKubernetesResource> vigilsClusterObjects() {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String[] kind : CLUSTER_KINDS) {
      for (GenericKubernetesResource object :
          admin
              .genericKubernetesResources(kind[0], kind[1])
              .withLabel("app.kubernetes.io/managed-by", VIGIL)
              .list()
              .getItems()) {
        if (object.getMetadata().getName().startsWith("vigil-" + NAMESPACE + "-")) {
          objects.add(object);
        }
      }
    }
    return objects;
  }

  /** kind/name → resourceVersion of the user's objects and everything Vigil made for them. */
  static Map<String, String> resourceVersions() {
    Map<String, String> versions = new TreeMap<>();
    List<GenericKubernetesResource> all = new ArrayList<>(userObjects());
    all.add(
        admin
            .genericKubernetesResources("v1", "Secret")
            .inNamespace(NAMESPACE)
            .withName(USERS_SECRET)
            .get());
    all.addAll(vigilsNamespacedObjects());
    all.addAll(vigilsClusterObjects());
    for (GenericKubernetesResource object : all) {
      versions.put(
          object.getKind() + "/" + object.getMetadata().getName(),
          object.getMetadata().getResourceVersion());
    }
    return versions;
  }

  static StatefulSet statefulSet() {
    return admin.apps().statefulSets().inNamespace(NAMESPACE).withName(STATEFUL_SET).get();
  }

  static Deployment collector() {
    return admin.apps().deployments().inNamespace(NAMESPACE).withName(COLLECTOR).get();
  }

  static io.fabric8.kubernetes.api.model.Container prometheusContainer(StatefulSet s) {
    return s.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("prometheus"))
        .findFirst()
        .orElseThrow();
  }

  static GenericKubernetesResource asGeneric(HasMetadata object) {
    GenericKubernetesResource generic = new GenericKubernetesResource();
    generic.setKind(object.getKind());
    generic.setMetadata(object.getMetadata());
    return generic;
  }

  static List<ManagedFieldsEntry> entriesOf(HasMetadata object, String manager) {
    return object.getMetadata().getManagedFields().stream()
        .filter(e -> manager.equals(e.getManager()))
        .toList();
  }

  static List<String> managers(HasMetadata object) {
    return object.getMetadata().getManagedFields().stream()
        .map(e -> e.getManager() + " " + e.getOperation())
        .toList();
  }

  /** The fields of a managedFields entry as dotted paths, e.g. {@code f:spec.f:replicas}. */
  static TreeSet<String> fieldPaths(ManagedFieldsEntry entry) {
    TreeSet<String> paths = new TreeSet<>();
    collect("", entry.getFieldsV1().getAdditionalProperties(), paths);
    return paths;
  }

  @SuppressWarnings("unchecked")
  private static void collect(String prefix, Map<String, Object> fields, TreeSet<String> paths) {
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (field.getKey().equals(".")) {
        continue;
      }
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      Map<String, Object> children = (Map<String, Object>) field.getValue();
      if (children == null
          || children.isEmpty()
          || children.keySet().equals(java.util.Set.of("."))) {
        paths.add(path);
      } else {
        collect(path, children, paths);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static String condition(GenericKubernetesResource object, String type) {
    Map<String, Object> status = object.get("status");
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
    return conditions == null
        ? null
        : conditions.stream()
            .filter(c -> type.equals(c.get("type")))
            .map(c -> (String) c.get("status"))
            .findFirst()
            .orElse(null);
  }

  static String describe(HasMetadata object) {
    return object.getKind() + " " + object.getMetadata().getName();
  }
}
