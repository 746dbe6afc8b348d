package dev.vigil.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.reconcilers.rules.PromQLExpressionCheck;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The webhooks' answers, as the API server reads them. */
class AdmissionTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode review(String kind, String operation, String object) throws Exception {
    return JSON.readTree(
        """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "u-1", "kind": {"group": "monitoring.vigil.dev", "version": "v1alpha1", "kind": "%s"},
                     "namespace": "shop", "name": "checkout", "operation": "%s", "object": %s}}
        """
            .formatted(kind, operation, object));
  }

  static final String BAD_POLICY =
      """
      {"apiVersion": "monitoring.vigil.dev/v1alpha1", "kind": "AlertPolicy",
       "metadata": {"name": "checkout", "namespace": "shop"},
       "spec": {"groups": [{"name": "g", "rules": [{"alert": "Down", "expr": "up{job=\\"checkout\\" == 0"}]}]}}
      """;

  final Admission admission =
      new Admission(new PromQLExpressionCheck(), Admission.PodMutator.UNCHANGED);

  @Test
  void anAlertPolicyWithAPromQLErrorIsRefusedWithTheMessageItsStatusWouldGive() throws Exception {
    JsonNode answer = admission.validate(review("AlertPolicy", "CREATE", BAD_POLICY));

    assertThat(answer.path("response").path("uid").asText()).isEqualTo("u-1");
    assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(answer.path("response").path("status").path("message").asText())
        .startsWith("AlertPolicy shop/checkout is refused: ")
        .contains(
            "rule 0 (alert Down): expr: 1:19: parse error: unexpected \"=\" in label matching");
  }

  @Test
  void aGoodObjectAndAnyDeletionAreAllowed() throws Exception {
    String good = BAD_POLICY.replace("\\\"checkout\\\" == 0", "\\\"checkout\\\"} == 0");
    assertThat(
            admission
                .validate(review("AlertPolicy", "CREATE", good))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isTrue();
    assertThat(
            admission
                .validate(review("AlertPolicy", "DELETE", BAD_POLICY))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isTrue();
  }

  @Test
  void aPodIsPatchedWithWhatTheMutatorChangedAndAdmittedWhenItFails() throws Exception {
    String pod =
        JSON.writeValueAsString(
            new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("shop")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("app:1")
                .endContainer()
                .endSpec()
                .build());
    Admission labelling =
        new Admission(
            new PromQLExpressionCheck(),
            (p, namespace) ->
                new Admission.PodMutator.Mutation(
                    new PodBuilder(p)
                        .editMetadata()
                        .addToLabels("injected", "yes")
                        .endMetadata()
                        .build(),
                    List.of("a warning")));

    JsonNode response = labelling.mutatePod(review("Pod", "CREATE", pod)).path("response");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    assertThat(
            new String(
                Base64.getDecoder().decode(response.path("patch").asText()),
                StandardCharsets.UTF_8))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"injected\":\"yes\"}}]");
    assertThat(response.path("warnings").get(0).asText()).isEqualTo("a warning");

    Admission failing =
        new Admission(
            new PromQLExpressionCheck(),
            (p, namespace) -> {
              throw new IllegalStateException("no Instrumentation cache yet");
            });
    JsonNode refused = failing.mutatePod(review("Pod", "CREATE", pod)).path("response");
    assertThat(refused.path("allowed").asBoolean()).isTrue();
    assertThat(refused.has("patch")).isFalse();
    assertThat(refused.path("warnings").get(0).asText()).contains("no Instrumentation cache yet");

    JsonNode unchanged = admission.mutatePod(review("Pod", "CREATE", pod)).path("response");
    assertThat(unchanged.has("patch")).isFalse();
  }

  @Test
  void aSecretThatDoesNotExistYetIsAWarningNotARefusal() throws Exception {
    Admission checking =
        new Admission(
            new PromQLExpressionCheck(),
            Admission.PodMutator.UNCHANGED,
            (namespace, name, key) -> name.equals("present"));
    String monitor =
        """
        {"apiVersion": "monitoring.vigil.dev/v1alpha1", "kind": "ServiceMonitor",
         "metadata": {"name": "checkout", "namespace": "shop"},
         "spec": {"selector": {"matchLabels": {"app": "checkout"}},
          "endpoints": [{"port": "metrics",
            "authorization": {"credentials": {"name": "later", "key": "token"}},
            "tlsConfig": {"ca": {"configMap": {"name": "ca", "key": "ca.crt"}},
                          "keySecret": {"name": "present", "key": "tls.key"}}}]}}
        """;

    JsonNode response =
        checking.validate(review("ServiceMonitor", "CREATE", monitor)).path("response");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("warnings")).hasSize(1);
    assertThat(response.path("warnings").get(0).asText())
        .isEqualTo(
            "spec.endpoints[0].authorization.credentials: Secret shop/later has no key token"
                + " (yet); the object is accepted and its status says so until it does");
  }
}
