/**
 * Vigil's PromQL parser ({@link dev.vigil.reconcilers.promql.PromQL}): Prometheus 3's language,
 * checked as {@code promtool check rules} checks it, and the namespace rewrite of tenant rules
 * ({@link dev.vigil.reconcilers.promql.LabelEnforcer}). Pure: imports nothing of Vigil's but {@link
 * dev.vigil.reconcilers.goregex}, which checks label matcher regexes as Prometheus compiles them.
 */
package dev.vigil.reconcilers.promql;
