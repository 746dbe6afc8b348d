package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * Regression found by the bad-input property test on a real API server: {@code size: ""} passes the
 * CRD schema (int-or-string, as Kubernetes' quantities), and fabric8's own quantity reader threw on
 * it in the operator's watch, which stopped the operator. Vigil's types read it as written.
 */
class StoredQuantitiesTest {
  final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void anEmptyQuantityIsReadNotThrown() {
    TracingPipeline pipeline =
        serialization.unmarshal(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: TracingPipeline
            metadata: {name: p, namespace: shop}
            spec:
              resources: {requests: {cpu: "", memory: 512Mi}, limits: {memory: 1}}
              exporters: {jaeger: {size: ""}}
            """,
            TracingPipeline.class);
    assertThat(pipeline.getSpec().exporters.jaeger.size.getAmount()).isEmpty();
    assertThat(pipeline.getSpec().resources.getRequests().get("cpu").getAmount()).isEmpty();
    assertThat(pipeline.getSpec().resources.getRequests().get("memory").toString())
        .isEqualTo("512Mi");
    assertThat(pipeline.getSpec().resources.getLimits().get("memory").toString()).isEqualTo("1");

    MonitoringStack stack =
        serialization.unmarshal(
            """
            apiVersion: monitoring.vigil.dev/v1alpha1
            kind: MonitoringStack
            metadata: {name: s, namespace: monitoring}
            spec:
              scraper:
                resources: {requests: {cpu: ""}}
                storage: {volumeClaimTemplate: {size: ""}}
            """,
            MonitoringStack.class);
    assertThat(stack.getSpec().scraper.storage.volumeClaimTemplate.size.getAmount()).isEmpty();
    // Written back as it was read.
    assertThat(serialization.asJson(stack)).contains("\"size\":\"\"").contains("\"cpu\":\"\"");
  }
}
