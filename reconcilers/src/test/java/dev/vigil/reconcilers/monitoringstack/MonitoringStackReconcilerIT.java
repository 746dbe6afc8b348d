package dev.vigil.reconcilers.monitoringstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.reconcilers.MockServerOperator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A MonitoringStack against the mock server in CRUD mode: its token Secret and status. */
@EnableKubernetesMockClient(crud = true)
class MonitoringStackReconcilerIT {
  KubernetesClient client;
  Operator operator;

  @BeforeEach
  void start() {
    operator = MockServerOperator.start(client, new MonitoringStackReconciler(Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  Secret tokenSecret() {
    return client.secrets().inNamespace("monitoring").withName("platform-sd-token").get();
  }

  @Test
  void makesOneTokenAndKeepsIt() {
    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(
        new ObjectMetaBuilder().withName("platform").withNamespace("monitoring").build());
    stack.setSpec(new MonitoringStackSpec());
    client.resource(stack).create();

    await().atMost(Duration.ofSeconds(20)).until(() -> tokenSecret() != null);
    Secret secret = tokenSecret();
    String token = secret.getData().get(ServiceDiscoveryTokenSecret.KEY);
    assertThat(token).isNotBlank();
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "vigil")
        .containsEntry("app.kubernetes.io/instance", "platform")
        .containsEntry("app.kubernetes.io/component", "sd-token");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("MonitoringStack"));

    // Any later reconcile (here: a label edit) keeps the token.
    client
        .resources(MonitoringStack.class)
        .inNamespace("monitoring")
        .withName("platform")
        .edit(
            s -> {
              s.getMetadata().setLabels(Map.of("touched", "yes"));
              return s;
            });
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(tokenSecret().getData().get(ServiceDiscoveryTokenSecret.KEY)).isEqualTo(token);
  }
}
