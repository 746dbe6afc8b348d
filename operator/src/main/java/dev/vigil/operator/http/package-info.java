/**
 * The operator's HTTP server: health, readiness and Prometheus metrics, for the operator and for
 * its reloader mode alike.
 */
package dev.vigil.operator.http;
