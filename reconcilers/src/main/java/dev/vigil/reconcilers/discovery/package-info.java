/**
 * Operator-side target discovery: from Namespaces, Services, EndpointSlices and Pods to the target
 * groups a Prometheus job scrapes, with the {@code __meta_kubernetes_*} labels Prometheus's own
 * Kubernetes discovery would attach. Pure: no JOSDK, no HTTP.
 */
package dev.vigil.reconcilers.discovery;
