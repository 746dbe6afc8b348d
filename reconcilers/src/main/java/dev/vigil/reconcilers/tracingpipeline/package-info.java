/**
 * TracingPipeline: its reconciler, one dependent resource per object it deploys (the collectors'
 * Deployment or DaemonSet, ConfigMap, Service, ServiceAccount, ClusterRole and binding, PDB and
 * autoscaler; the Jaeger backend's Deployment, ConfigMap, Service and volume claim) and the plan
 * that decides them ({@link dev.vigil.reconcilers.tracingpipeline.CollectorPlan}). What the files
 * contain is written by the pure renderers of {@code collector} and {@code jaeger}; the plan gives
 * the collector builder what it cannot know itself, such as where the Jaeger backend listens.
 */
package dev.vigil.reconcilers.tracingpipeline;
