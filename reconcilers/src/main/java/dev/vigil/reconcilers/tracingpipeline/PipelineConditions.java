package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.jaeger.JaegerConfigBuilder;
import dev.vigil.reconcilers.objects.IngressPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * When each optional object of a pipeline exists; when a condition stops holding, the object is
 * deleted. Conditions read the reconcile's {@link CollectorPlan}.
 */
final class PipelineConditions {
  private PipelineConditions() {}

  private static boolean runnable(Context<TracingPipeline> context) {
    return CollectorPlan.of(context).collectorConfig() != null;
  }

  /** A collector configuration could be rendered: its ConfigMap and Service. */
  public static class Runnable implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return runnable(c);
    }
  }

  /** Gateway mode with a configuration: a Deployment. */
  public static class Gateway implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return CollectorPlan.gateway(p) && runnable(c);
    }
  }

  /** Agent mode with a configuration: a DaemonSet. */
  public static class Agent implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return !CollectorPlan.gateway(p) && runnable(c);
    }
  }

  /** A gateway of several fixed replicas, or autoscaled: a disruption budget. */
  public static class HighlyAvailableGateway implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return CollectorPlan.gateway(p)
          && runnable(c)
          && (p.getSpec().autoscaling != null
              || (p.getSpec().replicas != null && p.getSpec().replicas > 1));
    }
  }

  /** A gateway with autoscaling: a HorizontalPodAutoscaler. */
  public static class Autoscaled implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return CollectorPlan.gateway(p) && runnable(c) && p.getSpec().autoscaling != null;
    }
  }

  /** {@code k8s_attributes} on in a platform namespace: its read-only cluster RBAC. */
  public static class K8sAttributesClusterWide implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      CollectorPlan plan = CollectorPlan.of(c);
      return plan.clusterWide() && !plan.collector().kubernetesAccess().isEmpty();
    }
  }

  /** {@code k8s_attributes} on in a tenant's namespace: a Role there, never a ClusterRole. */
  public static class K8sAttributesInNamespace implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      CollectorPlan plan = CollectorPlan.of(c);
      return !plan.clusterWide() && !plan.collector().kubernetesAccess().isEmpty();
    }
  }

  /** A Jaeger backend Vigil runs. */
  public static class JaegerBackend implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return JaegerConfigBuilder.enabled(p);
    }
  }

  /** A Jaeger backend on badger: its volume claim. */
  public static class JaegerOnDisk implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return JaegerConfigBuilder.enabled(p) && CollectorPlan.of(c).jaeger().persistent();
    }
  }

  /** NetworkPolicies on, and collectors to run: the collectors' policy. */
  public static class CollectorIsolated implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return IngressPolicy.enabled(p.getSpec().networkPolicy) && runnable(c);
    }
  }

  /** NetworkPolicies on, and a Jaeger backend Vigil runs: the backend's policy. */
  public static class JaegerIsolated implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return IngressPolicy.enabled(p.getSpec().networkPolicy) && JaegerConfigBuilder.enabled(p);
    }
  }
}
