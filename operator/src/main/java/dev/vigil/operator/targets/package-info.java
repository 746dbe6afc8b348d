/**
 * The operator's one set of discovery watches and what it makes of them ({@link
 * dev.vigil.operator.targets.TargetEngine}): the watches ({@link
 * dev.vigil.operator.targets.ClusterWatches}, prometheus-operator's in {@link
 * dev.vigil.operator.targets.PrometheusOperatorWatches}), the objects seen ({@link
 * dev.vigil.operator.targets.WatchedObjects}), which stack selects what ({@link
 * dev.vigil.operator.targets.StackSelection}), the jobs and who serves them ({@link
 * dev.vigil.operator.targets.JobPlan}), the index of their targets ({@link
 * dev.vigil.operator.targets.TargetIndex}), and whom to tell of a change ({@link
 * dev.vigil.operator.targets.AnswerChanges} for service discovery, {@link
 * dev.vigil.operator.targets.StatusNotifier} for the reconcilers).
 */
package dev.vigil.operator.targets;
