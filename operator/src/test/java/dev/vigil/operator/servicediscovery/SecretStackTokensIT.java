package dev.vigil.operator.servicediscovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SecretStackTokensIT {
  KubernetesClient client;

  void secret(String name, Map<String, String> labels, String token, boolean ownedByAStack) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("monitoring")
                .withLabels(labels)
                .withOwnerReferences(
                    ownedByAStack
                        ? java.util.List.of(
                            new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                                .withApiVersion("monitoring.vigil.dev/v1alpha1")
                                .withKind("MonitoringStack")
                                .withName("platform")
                                .withUid("stack-uid")
                                .withController(true)
                                .build())
                        : java.util.List.of())
                .endMetadata()
                .withData(
                    Map.of(
                        "token",
                        Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
  }

  @Test
  void readsOnlyVigilsTokenSecrets() {
    secret(
        "platform-sd-token",
        Map.of(
            "app.kubernetes.io/managed-by", "vigil",
            "app.kubernetes.io/component", "sd-token",
            "app.kubernetes.io/instance", "platform"),
        "abc",
        true);
    // Same name pattern, but not made by Vigil: never trusted.
    secret("forged-sd-token", Map.of("app.kubernetes.io/instance", "forged"), "xyz", true);
    // Vigil's labels, but no stack controls it: cached as a name only, never trusted.
    secret(
        "labelled-sd-token",
        Map.of(
            "app.kubernetes.io/managed-by", "vigil",
            "app.kubernetes.io/component", "sd-token",
            "app.kubernetes.io/instance", "labelled"),
        "xyz",
        false);

    try (SecretStackTokens tokens = new SecretStackTokens(client, Set.of())) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(tokens.tokenOf("monitoring", "platform"))
                      .hasValueSatisfying(
                          t -> assertThat(new String(t, StandardCharsets.UTF_8)).isEqualTo("abc")));
      assertThat(tokens.tokenOf("monitoring", "forged")).isEmpty();
      assertThat(tokens.tokenOf("monitoring", "labelled")).isEmpty();
      assertThat(tokens.tokenOf("other", "platform")).isEmpty();
    }
  }
}
