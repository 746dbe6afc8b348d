/**
 * Go's {@code regexp} syntax, as Prometheus, Alertmanager and the OpenTelemetry Collector compile
 * every regular expression a user writes ({@link dev.vigil.reconcilers.goregex.GoRegexp}): one
 * check that accepts exactly what Go's parser accepts (Go 1.26, the Go the tools Vigil runs are
 * built with), with Go's error messages, and a compiled form (RE2/J) that matches as Go matches.
 * Pure: imports nothing of Vigil's.
 */
package dev.vigil.reconcilers.goregex;
