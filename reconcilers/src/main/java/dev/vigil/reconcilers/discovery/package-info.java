/**
 * Operator-side target discovery: from Namespaces, Services, EndpointSlices and Pods to the target
 * groups a Prometheus job scrapes, with the {@code __meta_kubernetes_*} labels Prometheus's own
 * Kubernetes discovery would attach (docs/discovery-labels.md lists them). Pure: no JOSDK, no HTTP,
 * no client calls.
 *
 * <ul>
 *   <li>{@link dev.vigil.reconcilers.discovery.ClusterSnapshot}: the lookups discovery reads,
 *       {@link dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot} one implementation, and
 *       {@link dev.vigil.reconcilers.discovery.TrimmedObjects} the copies caches may keep.
 *   <li>{@link dev.vigil.reconcilers.discovery.DiscoveryJob}: one scrape job (from a ServiceMonitor
 *       or PodMonitor endpoint, or annotation discovery) as a value.
 *   <li>{@link dev.vigil.reconcilers.discovery.TargetDiscovery#discover}: a job's target groups,
 *       computed in full.
 *   <li>{@link dev.vigil.reconcilers.discovery.DiscoveryIndex}: every job's target groups, kept up
 *       to date one changed object at a time, with a version per job.
 * </ul>
 */
package dev.vigil.reconcilers.discovery;
