/**
 * The operator's HTTP ports, for the operator and for its reloader mode alike: health, readiness
 * and Prometheus metrics ({@link dev.vigil.operator.http.HttpEndpoints}), and the listeners under
 * them ({@link dev.vigil.operator.http.HttpListener}), each with its own threads, request and
 * response timeouts and a connection limit ({@link dev.vigil.operator.http.HttpLimits}), plain or
 * TLS with a certificate replaceable while serving ({@link
 * dev.vigil.operator.http.ServingCertificate}).
 */
package dev.vigil.operator.http;
