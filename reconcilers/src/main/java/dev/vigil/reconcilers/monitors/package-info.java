/**
 * What the ServiceMonitor and PodMonitor reconcilers share: checking a monitor against every stack
 * that selects it, and the status that says which stacks took it in, why not, and how many targets
 * it has.
 */
package dev.vigil.reconcilers.monitors;
