/**
 * AlertPolicy: alerting and recording rule groups in the shape of prometheus-operator's
 * PrometheusRule, plus optional Alertmanager routing scoped to the policy's own alerts.
 */
package dev.vigil.api.v1alpha1.alertpolicy;
