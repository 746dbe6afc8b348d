/**
 * The stack's Alertmanager configuration: {@link
 * dev.vigil.reconcilers.alertmanager.AlertmanagerConfigBuilder} turns a MonitoringStack, the
 * AlertPolicies it selects and {@link dev.vigil.reconcilers.alertmanager.AlertmanagerConfigInputs}
 * into the typed {@link dev.vigil.reconcilers.alertmanager.AlertmanagerConfig} (plus the Secret
 * keys to mount and the problems found), and {@link
 * dev.vigil.reconcilers.alertmanager.AlertmanagerConfigRenderer} writes it as {@code
 * alertmanager.yml}. Each policy's routing is confined to its own alerts; see the builder.
 */
package dev.vigil.reconcilers.alertmanager;
