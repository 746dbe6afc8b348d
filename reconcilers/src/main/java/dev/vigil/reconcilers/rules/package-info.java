/**
 * Prometheus rule files from AlertPolicies: the PrometheusRule group shape, alerting rules labelled
 * with the policy they are routed by, optionally namespace-enforced; checked and packed into
 * ConfigMaps. Pure: no JOSDK, no API calls.
 */
package dev.vigil.reconcilers.rules;
