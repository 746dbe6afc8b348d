package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.JaegerBackendSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * When each optional object of a pipeline exists; when a condition stops holding, the object is
 * deleted.
 */
final class PipelineConditions {
  private PipelineConditions() {}

  /** Gateway mode: a Deployment. */
  public static class Gateway implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return CollectorPlan.gateway(p);
    }
  }

  /** Agent mode: a DaemonSet. */
  public static class Agent implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return !CollectorPlan.gateway(p);
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
      return CollectorPlan.gateway(p) && p.getSpec().autoscaling != null;
    }
  }

  /** The k8sattributes processor is on: its read-only cluster RBAC. */
  public static class K8sAttributes implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return CollectorPlan.k8sAttributes(p);
    }
  }

  /** A Jaeger backend Vigil runs. */
  public static class JaegerBackend implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return CollectorPlan.jaegerBackend(p);
    }
  }

  /** A Jaeger backend on badger: its volume claim. */
  public static class JaegerOnDisk implements Condition<Object, TracingPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, TracingPipeline> d,
        TracingPipeline p,
        Context<TracingPipeline> c) {
      return CollectorPlan.jaegerBackend(p)
          && p.getSpec().exporters.jaeger.storage == JaegerBackendSpec.Storage.badger;
    }
  }
}
