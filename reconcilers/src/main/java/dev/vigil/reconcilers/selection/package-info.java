/**
 * Which stacks take which monitors, policies and dashboards in: a stack's selector (labels of the
 * object, labels of its namespace, the stack's own namespace by default), as one tested value; and
 * how far a tenant's stack and monitors reach ({@link
 * dev.vigil.reconcilers.selection.MonitorJobs}): their own namespace only.
 */
package dev.vigil.reconcilers.selection;
