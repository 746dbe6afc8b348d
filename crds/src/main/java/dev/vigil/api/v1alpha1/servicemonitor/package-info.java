/**
 * ServiceMonitor: scrape the endpoints behind the Services matching a selector. Same fields and
 * meaning as prometheus-operator's {@code monitoring.coreos.com/v1} ServiceMonitor.
 */
package dev.vigil.api.v1alpha1.servicemonitor;
