/**
 * PodMonitor: its reconciler, the shared monitor reconciler ({@code monitors}) with the
 * PodMonitor's validator. Its targets are discovered and served by the operator.
 */
package dev.vigil.reconcilers.podmonitor;
