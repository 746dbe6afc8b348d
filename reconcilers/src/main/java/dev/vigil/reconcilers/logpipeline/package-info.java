/**
 * The LogPipeline kind's reconciler and the objects it makes. The node agents (a collector
 * DaemonSet reading {@code /var/log/pods}, its configuration, identity and credentials) run in the
 * operator's agents namespace, never in the pipeline's: a pod with the node's log directory mounted
 * could read every namespace's logs, which a tenant must not be able to exec into. They are found
 * by name and deleted when the pipeline goes. The VictoriaLogs backend runs in the pipeline's
 * namespace, owned by it.
 */
package dev.vigil.reconcilers.logpipeline;
