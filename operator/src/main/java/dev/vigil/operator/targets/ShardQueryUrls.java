package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.monitoringstack.PrometheusGoverningService;
import dev.vigil.reconcilers.monitoringstack.PrometheusStatefulSet;
import java.net.URI;

/**
 * Where the operator reads a shard's Prometheus query API: by default a pod of the shard's
 * StatefulSet by its DNS name under the shard's governing Service, e.g. {@code
 * http://web-prometheus-1-0.web-prometheus-1.shop.svc:9090}; tests put their loopback Prometheus
 * processes there.
 */
@FunctionalInterface
public interface ShardQueryUrls {
  /** The base URL of the Prometheus of the shard's replica {@code replica}. */
  URI of(MonitoringStack stack, int shard, int replica);

  /** In the cluster. */
  ShardQueryUrls IN_CLUSTER =
      (stack, shard, replica) ->
          URI.create(
              "http://"
                  + PrometheusStatefulSet.name(stack, shard)
                  + "-"
                  + replica
                  + "."
                  + PrometheusGoverningService.name(stack, shard)
                  + "."
                  + stack.getMetadata().getNamespace()
                  + ".svc:"
                  + PrometheusStatefulSet.WEB_PORT);
}
