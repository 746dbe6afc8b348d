/**
 * Which stacks take which monitors, policies and dashboards in: a stack's selector (labels of the
 * object, labels of its namespace, the stack's own namespace by default), as one tested value.
 */
package dev.vigil.reconcilers.selection;
