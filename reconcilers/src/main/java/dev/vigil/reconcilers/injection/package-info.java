/**
 * Auto-instrumentation of pods, as pure functions an admission webhook calls: which Instrumentation
 * a pod asks for ({@link dev.vigil.reconcilers.injection.InjectionRequest}), how a reference
 * resolves and where its spans go ({@link dev.vigil.reconcilers.injection.CatalogLookup}, {@link
 * dev.vigil.reconcilers.injection.OtlpEndpoints}), and the pod as it should be admitted ({@link
 * dev.vigil.reconcilers.injection.PodInjector}): the language's init container, shared volume and
 * environment, with the workload's name and Kubernetes attributes found without an API call. No
 * JOSDK, no client: what it reads comes through the interfaces its callers implement.
 */
package dev.vigil.reconcilers.injection;
