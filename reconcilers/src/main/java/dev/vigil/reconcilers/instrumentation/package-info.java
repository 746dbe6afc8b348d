/**
 * The Instrumentation kind's reconciler: checks the spec, resolves where instrumented pods send
 * spans, and reports it with the number of pods instrumented. The pods themselves are mutated at
 * admission ({@link dev.vigil.reconcilers.injection.PodInjector}); nothing is deployed here.
 */
package dev.vigil.reconcilers.instrumentation;
