package dev.vigil.reconcilers.alertmanager;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression found by the bad-input property test on a real API server: a connection closed while
 * reading a policy's Secret became that policy's problem ("cannot be rendered:
 * KubernetesClientException"), its routing dropped from Alertmanager's configuration. Now the error
 * fails the reconcile, which JOSDK retries.
 */
class UnreachableSecretsTest {
  @Test
  void anApiErrorReadingASecretFailsTheBuildInsteadOfDroppingThePolicy() throws Exception {
    AlertPolicy policy =
        new ObjectMapper(new YAMLFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .readValue(
                Files.readString(Path.of("../manifests/examples/alertpolicy.yaml")),
                AlertPolicy.class);
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("shop").build());
    stack.setSpec(new MonitoringStackSpec());
    stack.getSpec().alertmanager = new AlertmanagerSpec();
    stack.getSpec().alertmanager.enabled = true;
    AlertmanagerConfigInputs unreachable =
        new AlertmanagerConfigInputs(
            key -> {
              throw new KubernetesClientException("Connection was closed");
            });
    assertThatThrownBy(() -> AlertmanagerConfigBuilder.build(stack, List.of(policy), unreachable))
        .isInstanceOf(KubernetesClientException.class);
  }
}
