/**
 * PodMonitor: scrape the pods matching a selector. Same fields and meaning as prometheus-operator's
 * {@code monitoring.coreos.com/v1} PodMonitor.
 */
package dev.vigil.api.v1alpha1.podmonitor;
