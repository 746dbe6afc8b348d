package dev.vigil.reconcilers.logpipeline;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * When each optional object of a pipeline exists; when a condition stops holding, the object is
 * deleted. Conditions read the reconcile's {@link LogPlan}.
 */
final class LogConditions {
  private LogConditions() {}

  private static boolean runnable(Context<LogPipeline> context) {
    return LogPlan.of(context).agentConfig() != null;
  }

  /** An agent configuration could be rendered: the agents and their configuration. */
  public static class Runnable implements Condition<Object, LogPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, LogPipeline> d, LogPipeline p, Context<LogPipeline> c) {
      return runnable(c);
    }
  }

  /** The configuration reads Secret keys: the agents' copy of them. */
  public static class Credentials implements Condition<Object, LogPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, LogPipeline> d, LogPipeline p, Context<LogPipeline> c) {
      return runnable(c) && !LogPlan.of(c).credentials().isEmpty();
    }
  }

  /** A platform pipeline's agents read across the cluster: a ClusterRole. */
  public static class ClusterWide implements Condition<Object, LogPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, LogPipeline> d, LogPipeline p, Context<LogPipeline> c) {
      return runnable(c) && LogPlan.of(c).clusterWide();
    }
  }

  /** A tenant's pipeline's agents read its namespace only: a Role there. */
  public static class InNamespace implements Condition<Object, LogPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, LogPipeline> d, LogPipeline p, Context<LogPipeline> c) {
      return runnable(c) && !LogPlan.of(c).clusterWide();
    }
  }

  /** The pipeline asks for a VictoriaLogs: its StatefulSet and Service. */
  public static class VictoriaLogs implements Condition<Object, LogPipeline> {
    @Override
    public boolean isMet(
        DependentResource<Object, LogPipeline> d, LogPipeline p, Context<LogPipeline> c) {
      return LogPlan.victoriaLogs(p) != null;
    }
  }
}
