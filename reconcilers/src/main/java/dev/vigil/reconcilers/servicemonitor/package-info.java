/**
 * ServiceMonitor: its reconciler, the shared monitor reconciler ({@code monitors}) with the
 * ServiceMonitor's validator. Its targets are discovered and served by the operator.
 */
package dev.vigil.reconcilers.servicemonitor;
