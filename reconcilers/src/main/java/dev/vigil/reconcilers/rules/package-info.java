/**
 * Prometheus rule files from AlertPolicies: the PrometheusRule group shape with Vigil's scoping
 * labels, rendered, checked and packed into ConfigMaps. Pure: no JOSDK, no API calls.
 */
package dev.vigil.reconcilers.rules;
