/**
 * What the operator's one set of discovery watches knows about stacks, monitors and their targets,
 * as the reconcilers read it ({@link dev.vigil.reconcilers.state.MonitoringState}), and the event
 * source through which they hear that it changed.
 */
package dev.vigil.reconcilers.state;
