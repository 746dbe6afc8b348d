package dev.vigil.operator.targets;

import static dev.vigil.operator.targets.EngineObjects.byKey;
import static dev.vigil.operator.targets.EngineObjects.namespace;
import static dev.vigil.operator.targets.EngineObjects.serviceMonitor;
import static dev.vigil.operator.targets.EngineObjects.snapshot;
import static dev.vigil.operator.targets.EngineObjects.stack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.discovery.DiscoveryJob;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import dev.vigil.reconcilers.prometheus.StackDiscoveryJobs;
import dev.vigil.reconcilers.scope.Tenancy;
import dev.vigil.reconcilers.sharding.BalancedPlacement;
import dev.vigil.reconcilers.sharding.Placement;
import dev.vigil.reconcilers.state.MonitoringState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which jobs exist and which stack serves which: a monitor's job shared by the stacks selecting it,
 * a stack's own jobs kept apart, sharded jobs kept while unchanged and made again when the shard
 * count or relabeling changes, and the fingerprint that tells a stack's reconciler to run.
 */
class JobPlanTest {
  static final String CHECKOUT_JOB = "serviceMonitor/shop/checkout/0";

  final InMemoryClusterSnapshot snapshot = snapshot(namespace("shop", Map.of()));
  final JobPrograms programs = new JobPrograms();

  ServiceMonitor checkout = monitor(1, "");

  static ServiceMonitor monitor(long generation, String relabeling) {
    return serviceMonitor(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: ServiceMonitor
        metadata: {name: checkout, namespace: shop, generation: %d}
        spec:
          selector: {matchLabels: {app: checkout}}
          endpoints: [{port: http-metrics%s}]
        """
            .formatted(generation, relabeling));
  }

  static MonitoringStack stackWithShards(String name, int shards) {
    return stack(
        """
        apiVersion: monitoring.vigil.dev/v1alpha1
        kind: MonitoringStack
        metadata: {name: %s, namespace: shop}
        spec: {scraper: {shards: %d}}
        """
            .formatted(name, shards));
  }

  JobPlan plan(JobPlan previous, MonitoringStack... stacks) {
    return plan(previous, stack -> Placement.RENDEZVOUS, stacks);
  }

  JobPlan plan(
      JobPlan previous,
      java.util.function.Function<MonitoringStack, Placement> placements,
      MonitoringStack... stacks) {
    Map<String, MonitoringStack> byKey = byKey(stacks);
    WatchedObjects.Selectable all =
        new WatchedObjects.Selectable(List.of(checkout), List.of(), List.of());
    return JobPlan.of(
        byKey,
        StackSelection.of(byKey, all, snapshot, Tenancy.SINGLE_TEAM),
        previous,
        programs,
        Tenancy.SINGLE_TEAM,
        placements);
  }

  @Test
  void aMonitorsJobIsSharedByItsStacksAndEachStacksOwnJobsAreKeyedByTheStack() {
    JobPlan plan = plan(JobPlan.EMPTY, stackWithShards("a", 1), stackWithShards("b", 3));
    List<String> indexed = plan.jobs().stream().map(DiscoveryJob::name).toList();
    assertThat(indexed)
        .containsExactly(
            CHECKOUT_JOB,
            "shop/a " + StackDiscoveryJobs.OTEL_COLLECTORS,
            "shop/a " + StackDiscoveryJobs.SPAN_METRICS,
            "shop/a " + StackDiscoveryJobs.CONFIG_RELOADERS,
            "shop/b " + StackDiscoveryJobs.OTEL_COLLECTORS,
            "shop/b " + StackDiscoveryJobs.SPAN_METRICS,
            "shop/b " + StackDiscoveryJobs.CONFIG_RELOADERS);
    JobPlan.StackJobs a = plan.stacks().get("shop/a");
    JobPlan.StackJobs b = plan.stacks().get("shop/b");
    assertThat(a.jobs().get(CHECKOUT_JOB).indexed()).isEqualTo(CHECKOUT_JOB);
    assertThat(b.jobs().get(StackDiscoveryJobs.OTEL_COLLECTORS).indexed())
        .isEqualTo("shop/b " + StackDiscoveryJobs.OTEL_COLLECTORS);
    assertThat(a.shards()).isEqualTo(1);
    assertThat(b.shards()).isEqualTo(3);
    // Different shard counts: one sharded job each.
    assertThat(a.jobs().get(CHECKOUT_JOB).sharded())
        .isNotSameAs(b.jobs().get(CHECKOUT_JOB).sharded());
    assertThat(plan.servedAs().get(CHECKOUT_JOB))
        .containsExactly(
            new JobPlan.Served("shop", "a", CHECKOUT_JOB, 1),
            new JobPlan.Served("shop", "b", CHECKOUT_JOB, 3));
    assertThat(plan.monitorJobs())
        .containsEntry("ServiceMonitor/shop/checkout", Set.of(CHECKOUT_JOB));
    assertThat(plan.selectingStacks().get("ServiceMonitor/shop/checkout"))
        .containsExactly("shop/a", "shop/b");
  }

  @Test
  void stacksWhoseJobsAreTheSameShareOneShardedJob() {
    JobPlan plan = plan(JobPlan.EMPTY, stackWithShards("a", 2), stackWithShards("b", 2));
    assertThat(plan.stacks().get("shop/a").jobs().get(CHECKOUT_JOB).sharded())
        .isSameAs(plan.stacks().get("shop/b").jobs().get(CHECKOUT_JOB).sharded());
  }

  @Test
  void aStackBalancingSeriesHasShardedJobsOfItsOwnPlacedByItsPlacement() {
    BalancedPlacement own = new BalancedPlacement();
    JobPlan plan =
        plan(
            JobPlan.EMPTY,
            stack -> stack.getMetadata().getName().equals("a") ? own : Placement.RENDEZVOUS,
            stackWithShards("a", 2),
            stackWithShards("b", 2),
            stackWithShards("c", 2));
    assertThat(plan.stacks().get("shop/a").jobs().get(CHECKOUT_JOB).sharded())
        .isNotSameAs(plan.stacks().get("shop/b").jobs().get(CHECKOUT_JOB).sharded());
    assertThat(plan.stacks().get("shop/b").jobs().get(CHECKOUT_JOB).sharded())
        .isSameAs(plan.stacks().get("shop/c").jobs().get(CHECKOUT_JOB).sharded());
  }

  @Test
  void anUnchangedPlanKeepsItsShardedJobsAndTellsNoOne() {
    JobPlan before = plan(JobPlan.EMPTY, stackWithShards("a", 2));
    JobPlan after = plan(before, stackWithShards("a", 2));
    assertThat(after.stacks().get("shop/a").jobs().get(CHECKOUT_JOB).sharded())
        .isSameAs(before.stacks().get("shop/a").jobs().get(CHECKOUT_JOB).sharded());
    assertThat(after.changedStacks(before)).isEmpty();
    assertThat(after.selectingChanged(before, "ServiceMonitor/shop/checkout")).isFalse();
    assertThat(told(before, after)).isEmpty();
  }

  @Test
  void anotherShardCountMakesEveryJobOfTheStackAgain() {
    JobPlan before = plan(JobPlan.EMPTY, stackWithShards("a", 2));
    JobPlan after = plan(before, stackWithShards("a", 4));
    assertThat(after.stacks().get("shop/a").jobs().get(CHECKOUT_JOB).sharded())
        .isNotSameAs(before.stacks().get("shop/a").jobs().get(CHECKOUT_JOB).sharded());
    assertThat(told(before, after))
        .containsExactly(
            "shop/a " + CHECKOUT_JOB + " 4",
            "shop/a " + StackDiscoveryJobs.CONFIG_RELOADERS + " 4",
            "shop/a " + StackDiscoveryJobs.OTEL_COLLECTORS + " 4",
            "shop/a " + StackDiscoveryJobs.SPAN_METRICS + " 4");
  }

  @Test
  void aNewRelabelingOfOneMonitorMakesOnlyItsJobAgainAndMovesTheFingerprint() {
    JobPlan before = plan(JobPlan.EMPTY, stackWithShards("a", 2));
    checkout =
        monitor(
            2,
            ", relabelings: [{action: keep, sourceLabels: [__meta_kubernetes_pod_ready], regex:"
                + " 'true'}]");
    JobPlan after = plan(before, stackWithShards("a", 2));
    assertThat(after.changedStacks(before)).containsExactly("shop/a");
    assertThat(told(before, after)).containsExactly("shop/a " + CHECKOUT_JOB + " 2");
    assertThat(after.stacks().get("shop/a").fingerprint())
        .containsExactly("ServiceMonitor/shop/checkout@2");
  }

  @Test
  void aMonitorThatCannotBeMadeIntoJobsIsLeftOutAndTheStackCarriesOn() {
    checkout = monitor(1, "");
    checkout.getSpec().endpoints = null;
    JobPlan plan = plan(JobPlan.EMPTY, stackWithShards("a", 1));
    assertThat(plan.jobs())
        .extracting(DiscoveryJob::name)
        .containsExactly(
            "shop/a " + StackDiscoveryJobs.OTEL_COLLECTORS,
            "shop/a " + StackDiscoveryJobs.SPAN_METRICS,
            "shop/a " + StackDiscoveryJobs.CONFIG_RELOADERS);
    assertThat(plan.stacks().get("shop/a").selected().serviceMonitors()).containsExactly(checkout);
  }

  @Test
  void countsAreWhatTheIndexHasForTheStacksBindings() {
    TargetIndex index = new TargetIndex();
    for (HasMetadata object : TargetIndexWorld.objects()) {
      index.put(object);
    }
    JobPlan plan = plan(JobPlan.EMPTY, stackWithShards("a", 2));
    index.setJobs(plan.jobs());
    MonitoringState.StackTargets targets = plan.stackTargets("shop/a", Set.of(CHECKOUT_JOB), index);
    assertThat(targets.total()).isEqualTo(1);
    assertThat(targets.perShard()).hasSize(2);
    assertThat(plan.stackTargets("shop/a", Set.of(), index).total()).isZero();
    assertThat(plan.stackTargets("shop/missing", Set.of(CHECKOUT_JOB), index).perShard()).isEmpty();
    assertThat(plan.monitorTargets("ServiceMonitor/shop/checkout", index))
        .isEqualTo(new MonitoringState.MonitorTargets(1, 1, List.of()));
  }

  /** What the server was told, as "stack job shards". */
  static List<String> told(JobPlan before, JobPlan after) {
    List<String> told = new ArrayList<>();
    AnswerChanges changes = new AnswerChanges();
    changes.add(
        (namespace, stack, job, shards) ->
            told.add(namespace + "/" + stack + " " + job + " " + shards));
    changes.bindingsChanged(before, after);
    return told;
  }

  /** One Service with one ready pod behind it, in namespace shop. */
  static final class TargetIndexWorld {
    static List<HasMetadata> objects() {
      KubernetesSerialization yaml = new KubernetesSerialization();
      return List.of(
              """
              apiVersion: v1
              kind: Namespace
              metadata: {name: shop}
              """,
              """
              apiVersion: v1
              kind: Service
              metadata: {name: checkout, namespace: shop, labels: {app: checkout}}
              spec: {ports: [{name: http-metrics, port: 8080}]}
              """,
              """
              apiVersion: v1
              kind: Pod
              metadata: {name: checkout-0, namespace: shop, uid: u-0, labels: {app: checkout}}
              spec:
                containers: [{name: app, image: checkout:1, ports: [{name: http-metrics, containerPort: 8080}]}]
              status: {phase: Running, podIP: 10.1.0.5, conditions: [{type: Ready, status: "True"}]}
              """,
              """
              apiVersion: discovery.k8s.io/v1
              kind: EndpointSlice
              metadata: {name: checkout-abc, namespace: shop, labels: {kubernetes.io/service-name: checkout}}
              addressType: IPv4
              ports: [{name: http-metrics, port: 8080, protocol: TCP}]
              endpoints:
                - addresses: [10.1.0.5]
                  conditions: {ready: true}
                  targetRef: {kind: Pod, name: checkout-0, namespace: shop}
              """)
          .stream()
          .map(document -> (HasMetadata) yaml.unmarshal(document))
          .toList();
    }
  }
}
