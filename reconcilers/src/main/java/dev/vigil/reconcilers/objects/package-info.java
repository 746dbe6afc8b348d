/**
 * What the Kubernetes objects Vigil makes share, whatever kind makes them: their labels and
 * selectors, the order they are listed in, the settings of the operator's deployment they are made
 * with, the Deployment or DaemonSet around their pods, the RoleBinding that grants a Role to a
 * ServiceAccount, the pieces of their pods (non-root pods, locked-down containers, probes, the
 * reloader), and the host name a Service is reached at.
 */
package dev.vigil.reconcilers.objects;
