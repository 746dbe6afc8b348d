/**
 * Types shared by several Vigil kinds: status and conditions, selectors, Secret references, TLS and
 * authentication settings, relabeling rules and the scrape-endpoint fields that ServiceMonitor and
 * PodMonitor have in common (spelled as prometheus-operator spells them).
 */
package dev.vigil.api.v1alpha1.common;
