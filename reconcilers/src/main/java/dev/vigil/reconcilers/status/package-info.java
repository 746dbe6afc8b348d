/**
 * What every Vigil reconciler shares about status: the first stage that validates and reports
 * ({@link dev.vigil.reconcilers.status.ValidatingReconciler}), conditions, Events said once per
 * problem, and status patches written only when something changed.
 */
package dev.vigil.reconcilers.status;
