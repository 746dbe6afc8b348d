package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.common.VigilStatus;
import dev.vigil.reconcilers.robustness.BadInputChecks;
import dev.vigil.reconcilers.robustness.CustomResourceGenerator;
import dev.vigil.reconcilers.robustness.CustomResourceGenerator.Generated;
import dev.vigil.reconcilers.robustness.ReconcileCounter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Property: the running operator (every reconciler, discovery) on the mock server, which has no
 * schema, takes 1,000 random and mutated objects of all five kinds without an exception escaping a
 * reconcile, without a hot loop (reconciles per object stay bounded and stop), without touching the
 * objects of a namespace that was there before (bystanders), and reports every problem it finds in
 * a condition that names it and a Warning Event. Objects whose JSON types do not fit their kind are
 * not sent: the API server's structural schema refuses them everywhere.
 */
@EnableKubernetesMockClient(crud = true)
class BadInputIT {
  static final long SEED = 20261125L;
  static final int OBJECTS = 1000;
  static final int NAMESPACES = 10;
  static final int BATCH = 100;

  /** Objects i to i+4 are one of each kind; they go to one namespace, so stacks select monitors. */
  static final int KINDS = CustomResourceGenerator.KINDS.size();

  static final String BYSTANDERS = "bystander";

  /**
   * A stack runs again whenever its selection changes, so one whose mutated selector takes in every
   * namespace runs about once per object created (fewer, as JOSDK merges events): bounded by the
   * load, not a constant. A hot loop is what the quiescence check catches.
   */
  static final int MAX_RECONCILES_PER_OBJECT = OBJECTS / 2;

  /** The mock server logs every request; a thousand objects make that the slowest part. */
  static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  KubernetesClient client;
  VigilOperator vigil;
  final ReconcileCounter counter = new ReconcileCounter();

  @BeforeEach
  void start() throws Exception {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    OperatorConfig config =
        OperatorConfig.from(
            List.of("--leader-election=false", "--lease-namespace=default", "--http-port=0"),
            Map.of());
    vigil = new VigilOperator(config, client, new VigilOperator.Runtime(false, false, counter));
    vigil.start();
  }

  @AfterEach
  void stop() {
    vigil.close();
  }

  @Test
  void thousandBadObjectsAreReportedNeverCrashNeverLoopAndLeaveOthersAlone() throws Exception {
    long started = System.currentTimeMillis();
    namespace(BYSTANDERS, Map.of());
    BadInputChecks.exampleSecrets(BYSTANDERS).forEach(s -> client.resource(s).create());
    List<HasMetadata> bystanders = BadInputChecks.bystanders(BYSTANDERS);
    bystanders.forEach(o -> client.resource(o).create());
    assertThat(counter.awaitQuiet(3000, 60_000)).as("bystanders settle").isTrue();
    Map<String, String> ownedBefore = BadInputChecks.ownedObjects(client, BYSTANDERS);
    Map<String, Map<String, String>> conditionsBefore = conditionsOf(bystanders);
    assertThat(ownedBefore)
        .as("objects the bystander stack and pipeline own")
        .hasSizeGreaterThan(10);
    int bystanderReconciles = counter.perObject().values().stream().mapToInt(i -> i).sum();

    CustomResourceGenerator generator = new CustomResourceGenerator(SEED);
    List<Generated> sent = new ArrayList<>();
    int refused = 0;
    for (int n = 0; n < NAMESPACES; n++) {
      // Namespaces as the example stack selects them, so monitors get through to acceptance.
      namespace("fuzz-" + n, Map.of("monitoring", "enabled"));
    }
    for (int i = 0; i < OBJECTS; i++) {
      Generated generated = generator.next(i, "fuzz-" + (i / KINDS % NAMESPACES), "g" + i, 0.8);
      HasMetadata typed = generated.typedOrNull();
      if (typed == null) {
        refused++;
        continue;
      }
      client.resource(typed).create();
      sent.add(generated);
      if ((i + 1) % BATCH == 0) {
        // In batches: the mock server answers one request at a time, and a thousand objects
        // at once make its answers slower than the client's timeout.
        counter.awaitQuiet(500, 30_000);
      }
    }
    long sentAt = System.currentTimeMillis();
    boolean quiet = counter.awaitQuiet(5000, 240_000);
    long settledAt = System.currentTimeMillis();
    Map<String, Integer> perObject = counter.perObject();
    List<String> busiest =
        ReconcileCounter.busiest(perObject, Map.of(), 5).stream()
            .map(b -> b + " " + describe(sent, b))
            .toList();
    assertThat(quiet).as("reconciles stop (no hot loop); busiest: %s", busiest).isTrue();
    // Still quiet a while later: nothing requeues itself.
    long total = counter.total();
    Thread.sleep(3000);
    assertThat(counter.total()).as("reconciles after quiescence").isEqualTo(total);

    assertThat(counter.failures()).as("reconciles that ended in an exception").isEmpty();

    BadInputChecks.Verdict verdict =
        BadInputChecks.judge(sent, client, this::fresh, counter, MAX_RECONCILES_PER_OBJECT);
    List<String> complaints = verdict.complaints();
    Map<String, Integer> reasons = verdict.readyReasons();
    int reportedProblems = verdict.reportedProblems();
    System.out.printf(
        "bad input (mock server): %d sent, %d refused (wrong JSON types), %d reported as problems;"
            + " sent in %d ms, settled %d ms later; %d reconciles (max per object %d, bystanders"
            + " %d before the load); Ready reasons %s%n",
        sent.size(),
        refused,
        reportedProblems,
        sentAt - started,
        settledAt - sentAt,
        counter.total(),
        perObject.values().stream().mapToInt(i -> i).max().orElse(0),
        bystanderReconciles,
        reasons);
    assertThat(complaints).as("objects badly reported").isEmpty();
    assertThat(sent.size()).isGreaterThanOrEqualTo(OBJECTS * 3 / 4);
    assertThat(reportedProblems).as("mutated objects reported as problems").isGreaterThan(100);

    assertThat(BadInputChecks.ownedObjects(client, BYSTANDERS))
        .as("the bystanders' objects, resourceVersions unchanged")
        .isEqualTo(ownedBefore);
    assertThat(conditionsOf(bystanders))
        .as("the bystanders' conditions")
        .isEqualTo(conditionsBefore);
  }

  /** What was generated for the object of a key=count entry, for failure messages. */
  static String describe(List<Generated> sent, String entry) {
    String key = entry.substring(0, entry.lastIndexOf('='));
    return sent.stream()
        .filter(g -> key.equals(g.kind().getSimpleName() + "/" + g.namespace() + "/" + g.name()))
        .map(Generated::toString)
        .findFirst()
        .orElse("");
  }

  /** A namespace with the name label the API server would put on it. */
  void namespace(String name, Map<String, String> labels) {
    Map<String, String> all = new TreeMap<>(labels);
    all.put(CustomResourceGenerator.NAMESPACE_NAME_LABEL, name);
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(all)
                .endMetadata()
                .build())
        .create();
  }

  @SuppressWarnings("unchecked")
  CustomResource<?, ? extends VigilStatus> fresh(Generated generated) {
    return (CustomResource<?, ? extends VigilStatus>)
        client
            .resources(generated.kind())
            .inNamespace(generated.namespace())
            .withName(generated.name())
            .get();
  }

  /** Each bystander's conditions, but not their times. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, String>> conditionsOf(List<HasMetadata> objects) {
    return objects.stream()
        .collect(
            Collectors.toMap(
                ReconcileCounter::key,
                o ->
                    BadInputChecks.states(
                        (CustomResource<?, ? extends VigilStatus>) client.resource(o).get()),
                (a, b) -> a,
                TreeMap::new));
  }
}
