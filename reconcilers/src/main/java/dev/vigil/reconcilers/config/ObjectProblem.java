package dev.vigil.reconcilers.config;

/**
 * Why (part of) an object is not in a configuration Vigil built; the message says what to fix. What
 * the Prometheus and Alertmanager builders report, and what a stack's status and Events and a
 * monitor's or policy's acceptance say of it.
 *
 * @param kind the object's kind: ServiceMonitor, PodMonitor, AlertPolicy or MonitoringStack
 * @param namespace the object's namespace
 * @param name the object's name
 * @param message what is wrong
 */
public record ObjectProblem(String kind, String namespace, String name, String message) {}
