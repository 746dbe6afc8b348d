package dev.vigil.benchmarks;

import dev.vigil.reconcilers.promql.PromQL;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Checking AlertPolicy rule expressions, as every AlertPolicy reconcile does: a mix of typical
 * alerting and recording rule expressions (kube-prometheus and node-exporter mixin style: selectors
 * with regex matchers, rates over ranges, aggregations, vector matching, histogram quantiles,
 * subqueries), parsed and type-checked. The score is expressions per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class PromQLBenchmark {
  static final List<String> TYPICAL_RULES =
      List.of(
          "up == 0",
          "up{job=\"node-exporter\"} == 0",
          "absent(up{job=\"kubelet\", metrics_path=\"/metrics\"} == 1)",
          "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=\"\","
              + " image!=\"\"}[5m])) > 0.9",
          "sum(rate(http_requests_total{code=~\"5..\"}[5m])) by (job)"
              + " / sum(rate(http_requests_total[5m])) by (job) > 0.05",
          "histogram_quantile(0.99, sum by (le, job)"
              + " (rate(http_request_duration_seconds_bucket{job=\"api\"}[5m]))) > 1",
          "(node_filesystem_avail_bytes{fstype!=\"\", job=\"node-exporter\"}"
              + " / node_filesystem_size_bytes{fstype!=\"\", job=\"node-exporter\"} * 100 < 10"
              + " and node_filesystem_readonly{fstype!=\"\", job=\"node-exporter\"} == 0)",
          "predict_linear(node_filesystem_avail_bytes{fstype!~\"tmpfs|fuse.*\"}[6h], 4 * 60 * 60)"
              + " < 0",
          "increase(kube_pod_container_status_restarts_total{job=\"kube-state-metrics\"}[10m])"
              + " > 0",
          "kube_deployment_spec_replicas{job=\"kube-state-metrics\"}"
              + " != kube_deployment_status_replicas_available{job=\"kube-state-metrics\"}",
          "time() - process_start_time_seconds{job=\"prometheus\"} < 60",
          "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))) > 90",
          "sum by (cluster, namespace, pod) (kube_pod_status_phase{phase=~\"Pending|Unknown\"}) > 0",
          "count by (job) (up == 0) / count by (job) (up) > 0.5",
          "rate(node_network_receive_errs_total[2m]) / rate(node_network_receive_packets_total[2m])"
              + " > 0.01",
          "sum by (namespace) (container_memory_working_set_bytes{container!=\"\"})"
              + " / sum by (namespace) (kube_pod_container_resource_limits{resource=\"memory\"})"
              + " > 0.95",
          "sum(rate(container_cpu_usage_seconds_total[5m])) by (pod) * on(pod) group_left(node)"
              + " kube_pod_info",
          "avg_over_time(up{job=\"blackbox\"}[1d:5m]) < 0.99",
          "max_over_time(probe_success{job=\"blackbox\"}[5m]) == 0",
          "label_replace(sum by (instance) (rate(node_cpu_seconds_total[5m])), \"host\", \"$1\","
              + " \"instance\", \"(.*):.*\")",
          "sum without (instance, pod) (rate(apiserver_request_total{code=~\"5..\"}[1h]))"
              + " / sum without (instance, pod) (rate(apiserver_request_total[1h]))",
          "apiserver_request:burnrate1h > (14.4 * 0.001) and apiserver_request:burnrate5m"
              + " > (14.4 * 0.001)",
          "changes(process_start_time_seconds{job=~\"node|kubelet\"}[1h]) > 2",
          "deriv(node_memory_MemAvailable_bytes[30m]) < 0",
          "topk(10, sum by (pod) (rate(container_network_transmit_bytes_total[5m])))",
          "quantile_over_time(0.95, rate(http_requests_total[1m])[1h:1m])",
          "clamp_min(sum(rate(requests_total[5m])), 1)",
          "sum(kube_node_status_allocatable{resource=\"cpu\"})"
              + " - max(kube_node_status_allocatable{resource=\"cpu\"})"
              + " < sum(kube_pod_container_resource_requests{resource=\"cpu\"})",
          "rate(prometheus_tsdb_compactions_failed_total[3h]) > 0",
          "job:http_requests:rate5m{job=\"checkout\"} offset 1d * 1.5"
              + " < job:http_requests:rate5m{job=\"checkout\"}");

  @Benchmark
  @OperationsPerInvocation(30)
  @PerformanceTarget("≥ 50,000/s")
  public void parseTypicalRules(Blackhole blackhole) {
    for (String expression : TYPICAL_RULES) {
      blackhole.consume(PromQL.parse(expression));
    }
  }
}
