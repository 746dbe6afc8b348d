/**
 * One validator per kind: what each kind's schema cannot check (regexes Prometheus would refuse,
 * quantities, bounds a CEL rule cannot state, references to itself), as plain classes from the
 * object to a list of {@link dev.vigil.reconcilers.validation.Problem}s with field paths and
 * messages. The reconcilers call them before they act; an admission webhook can call the same.
 */
package dev.vigil.reconcilers.validation;
