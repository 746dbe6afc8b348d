package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.common.VigilStatus;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.robustness.BadInputChecks;
import dev.vigil.reconcilers.robustness.CustomResourceGenerator;
import dev.vigil.reconcilers.robustness.CustomResourceGenerator.Generated;
import dev.vigil.reconcilers.robustness.ReconcileCounter;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property: 1,000 random and mutated objects of all five kinds sent through a real API server, with
 * the operator running as its ServiceAccount. The CRDs' schema and CEL rules refuse some, each with
 * a message naming the field; the operator reconciles the rest without an exception, without a hot
 * loop and without touching a namespace that was there before, and reports every problem it finds
 * in a condition naming it and a Warning Event.
 */
class BadInputIT {
  static final long SEED = 20261126L;
  static final int OBJECTS = 1000;
  static final int NAMESPACES = 5;

  /** Objects i to i+4 are one of each kind; they go to one namespace, so stacks select monitors. */
  static final int KINDS = CustomResourceGenerator.KINDS.size();

  static final String BYSTANDERS = "bad-input-bystander";

  /**
   * A stack runs again whenever its selection changes, so one whose mutated selector takes in every
   * namespace runs about once per object created (fewer, as JOSDK merges events): bounded by the
   * load, not a constant. A hot loop is what the quiescence check catches.
   */
  static final int MAX_RECONCILES_PER_OBJECT = OBJECTS / 2;

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;
  static final ReconcileCounter counter = new ReconcileCounter();

  static String namespace(int n) {
    return "bad-input-" + n;
  }

  @BeforeAll
  static void startOperatorAsItsServiceAccount() throws Exception {
    admin = RealApiServer.admin();
    RealApiServer.ensureNamespace(BYSTANDERS);
    for (int n = 0; n < NAMESPACES; n++) {
      // Labelled as the example stack selects namespaces, so monitors reach acceptance.
      admin
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(namespace(n))
                  .addToLabels("monitoring", "enabled")
                  .endMetadata()
                  .build())
          .fieldManager("vigil-e2e")
          .serverSideApply();
    }
    String watched =
        Stream.concat(
                Stream.of(BYSTANDERS),
                IntStream.range(0, NAMESPACES).mapToObj(BadInputIT::namespace))
            .collect(Collectors.joining(","));
    operator =
        OperatorAsServiceAccount.start(
            List.of("--leader-election=false", "--http-port=0", "--watch-namespaces=" + watched),
            new VigilOperator.Runtime(true, false, counter));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void thousandBadObjectsThroughTheApiServerAreRefusedOrReported() throws Exception {
    long started = System.currentTimeMillis();
    BadInputChecks.exampleSecrets(BYSTANDERS)
        .forEach(s -> admin.resource(s).fieldManager("vigil-e2e").serverSideApply());
    List<HasMetadata> bystanders = BadInputChecks.bystanders(BYSTANDERS);
    bystanders.forEach(o -> admin.resource(o).fieldManager("vigil-e2e").serverSideApply());
    assertThat(counter.awaitQuiet(3000, 60_000)).as("bystanders settle").isTrue();
    Map<String, String> ownedBefore = BadInputChecks.ownedObjects(admin, BYSTANDERS);
    Map<String, Map<String, String>> conditionsBefore = conditionsOf(bystanders);
    assertThat(ownedBefore).as("objects the bystanders own").hasSizeGreaterThan(10);

    CustomResourceGenerator generator = new CustomResourceGenerator(SEED);
    List<Generated> accepted = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    List<String> badRefusals = new ArrayList<>();
    for (int i = 0; i < OBJECTS; i++) {
      Generated generated = generator.next(i, namespace(i / KINDS % NAMESPACES), "g" + i, 0.8);
      lighten(generated);
      GenericKubernetesResource raw =
          CustomResourceGenerator.YAML.treeToValue(
              generated.tree(), GenericKubernetesResource.class);
      try {
        admin.resource(raw).create();
        accepted.add(generated);
      } catch (KubernetesClientException e) {
        String message = e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
        refusals.add(message);
        if (e.getCode() != 422 || message == null || !message.contains("spec")) {
          badRefusals.add(e.getCode() + " " + message + "   <- " + generated);
        }
      }
    }
    long sentAt = System.currentTimeMillis();
    boolean quiet = counter.awaitQuiet(5000, 120_000);
    long settledAt = System.currentTimeMillis();
    Map<String, Integer> perObject = counter.perObject();
    assertThat(quiet)
        .as(
            "reconciles stop (no hot loop); busiest: %s",
            ReconcileCounter.busiest(perObject, Map.of(), 5))
        .isTrue();
    long total = counter.total();
    Thread.sleep(3000);
    assertThat(counter.total()).as("reconciles after quiescence").isEqualTo(total);
    // A real API server has races a reconcile may lose (an RBAC cache that has not seen the Role
    // just created, a connection closed under load): JOSDK retries, and the status says so
    // meanwhile. What may not happen is an object left failing: checked below, Reconciled=True.
    List<String> failures = counter.failures();
    assertThat(badRefusals).as("refusals that name no field").isEmpty();

    BadInputChecks.Verdict verdict =
        BadInputChecks.judge(
            accepted, admin, BadInputIT::fresh, counter, MAX_RECONCILES_PER_OBJECT);
    List<String> complaints = verdict.complaints();
    Map<String, Integer> reasons = verdict.readyReasons();
    int reportedProblems = verdict.reportedProblems();
    System.out.printf(
        "bad input (real API server): %d sent, %d refused by the schema, %d accepted, %d reported"
            + " as problems; sent in %d ms, settled %d ms later; %d reconciles (max per object"
            + " %d), %d retried after an exception; Ready reasons %s%n",
        OBJECTS,
        refusals.size(),
        accepted.size(),
        reportedProblems,
        sentAt - started,
        settledAt - sentAt,
        counter.total(),
        perObject.values().stream().mapToInt(i -> i).max().orElse(0),
        failures.size(),
        reasons);
    assertThat(complaints)
        .as("objects badly reported (reconcile failures: %s)", failures)
        .isEmpty();
    assertThat(refusals).as("objects the schema refused").hasSizeGreaterThan(100);
    assertThat(accepted).as("objects the schema accepted").hasSizeGreaterThan(300);
    assertThat(BadInputChecks.ownedObjects(admin, BYSTANDERS))
        .as("the bystanders' objects, resourceVersions unchanged")
        .isEqualTo(ownedBefore);
    assertThat(conditionsOf(bystanders))
        .as("the bystanders' conditions")
        .isEqualTo(conditionsBefore);
  }

  /**
   * The shared API server has 254 Service addresses (kube-api-test's 10.0.0.0/24) and no garbage
   * collector: stacks run one shard without Thanos, Grafana or Alertmanager, pipelines no Jaeger
   * backend, so the accepted ones need at most two Services each.
   */
  static void lighten(Generated generated) {
    var spec = generated.tree().path("spec");
    if (generated.kind() == MonitoringStack.class && spec instanceof ObjectNode stack) {
      if (stack.path("scraper") instanceof ObjectNode scraper) {
        scraper.put("shards", 1);
      }
      for (String part : List.of("thanos", "grafana", "alertmanager")) {
        stack.putObject(part).put("enabled", false);
      }
    } else if (generated.kind() == TracingPipeline.class
        && spec.path("exporters") instanceof ObjectNode exporters) {
      exporters.remove("jaeger");
    }
  }

  /** Without a garbage collector, what the operator made stays: removed for the ITs after this. */
  @AfterAll
  static void removeServices() {
    for (int n = 0; n < NAMESPACES; n++) {
      admin.services().inNamespace(namespace(n)).delete();
    }
    admin.services().inNamespace(BYSTANDERS).delete();
  }

  @SuppressWarnings("unchecked")
  static CustomResource<?, ? extends VigilStatus> fresh(Generated generated) {
    return (CustomResource<?, ? extends VigilStatus>)
        admin
            .resources(generated.kind())
            .inNamespace(generated.namespace())
            .withName(generated.name())
            .get();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, String>> conditionsOf(List<HasMetadata> objects) {
    return objects.stream()
        .collect(
            Collectors.toMap(
                ReconcileCounter::key,
                o ->
                    BadInputChecks.states(
                        (CustomResource<?, ? extends VigilStatus>) admin.resource(o).get()),
                (a, b) -> a,
                TreeMap::new));
  }
}
