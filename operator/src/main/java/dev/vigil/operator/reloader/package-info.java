/**
 * {@code vigil-operator reloader}: the sidecar (and, with {@code --once}, init container) next to
 * each Prometheus that mirrors its config Secret and rule ConfigMaps from the API into files,
 * written atomically, and calls Prometheus's {@code /-/reload} when they change, without waiting
 * for kubelet's volume sync. It watches only the objects it is named, so a Role limited to those
 * names is all it needs.
 */
package dev.vigil.operator.reloader;
