package dev.vigil.operator.admission;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's two webhook configurations and their CA bundle. Installed by the Helm chart and the
 * kustomize manifests (so {@code helm uninstall} and {@code kubectl delete -k} remove them), the
 * operator only keeps their {@code caBundle} equal to the CA it serves with; run outside a cluster
 * with a URL (tests, the demo) it applies them whole itself.
 *
 * <ul>
 *   <li>{@value #MUTATING}: pods, on CREATE; {@code failurePolicy: Ignore} with a {@value
 *       #POD_TIMEOUT_SECONDS} s timeout, so a pod always starts when Vigil is down
 *       (uninstrumented); the operator's namespace and {@code kube-system} excluded; {@code
 *       reinvocationPolicy: IfNeeded}, since injecting twice changes nothing.
 *   <li>{@value #VALIDATING}: Vigil's kinds, on CREATE and UPDATE; {@code failurePolicy: Ignore}:
 *       with Vigil down, objects are still applied and their status says what is wrong.
 * </ul>
 */
public final class WebhookConfigurations {
  public static final String MUTATING = "vigil-instrumentation";
  public static final String VALIDATING = "vigil-validation";
  static final int POD_TIMEOUT_SECONDS = 3;
  static final int VALIDATION_TIMEOUT_SECONDS = 5;
  static final List<String> VIGIL_RESOURCES =
      List.of(
          "monitoringstacks",
          "servicemonitors",
          "podmonitors",
          "alertpolicies",
          "tracingpipelines",
          "instrumentations",
          "logpipelines");

  private static final Logger LOG = LoggerFactory.getLogger(WebhookConfigurations.class);

  /**
   * Where the API server sends reviews: a URL, or the Service in front of every replica.
   *
   * @param url {@code https://host:port} without a path, or null
   */
  public record Target(String url, String serviceNamespace, String serviceName, int servicePort) {
    WebhookClientConfig clientConfig(String path, String caBundle) {
      WebhookClientConfigBuilder config = new WebhookClientConfigBuilder();
      if (url != null) {
        config.withUrl(url + path);
      } else {
        config
            .withNewService()
            .withNamespace(serviceNamespace)
            .withName(serviceName)
            .withPort(servicePort)
            .withPath(path)
            .endService();
      }
      return config.withCaBundle(caBundle).build();
    }
  }

  private final KubernetesClient client;
  private final Target target;
  private final String operatorNamespace;

  public WebhookConfigurations(KubernetesClient client, Target target, String operatorNamespace) {
    this.client = client;
    this.target = target;
    this.operatorNamespace = operatorNamespace;
  }

  /**
   * Makes both configurations trust {@code caPem}: applied whole when the API server reaches the
   * operator by URL, else their {@code caBundle} set where it differs. Writes nothing when equal.
   */
  public void trust(String caPem) {
    String bundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
    if (target.url() != null) {
      apply(mutating(target, operatorNamespace, bundle));
      apply(validating(target, bundle));
      return;
    }
    var mutating =
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(MUTATING);
    MutatingWebhookConfiguration existing = mutating.get();
    if (existing == null) {
      LOG.warn("no MutatingWebhookConfiguration {}: pods are not instrumented", MUTATING);
    } else if (existing.getWebhooks().stream()
        .anyMatch(w -> !bundle.equals(w.getClientConfig().getCaBundle()))) {
      mutating.edit(
          c -> {
            c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
            return c;
          });
      LOG.info("MutatingWebhookConfiguration {} trusts the webhooks' CA", MUTATING);
    }
    var validating =
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName(VALIDATING);
    ValidatingWebhookConfiguration current = validating.get();
    if (current == null) {
      LOG.warn(
          "no ValidatingWebhookConfiguration {}: objects are checked by their reconcilers only",
          VALIDATING);
    } else if (current.getWebhooks().stream()
        .anyMatch(w -> !bundle.equals(w.getClientConfig().getCaBundle()))) {
      validating.edit(
          c -> {
            c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
            return c;
          });
      LOG.info("ValidatingWebhookConfiguration {} trusts the webhooks' CA", VALIDATING);
    }
  }

  private void apply(io.fabric8.kubernetes.api.model.HasMetadata configuration) {
    client.resource(configuration).fieldManager("vigil").forceConflicts().serverSideApply();
  }

  /** The pod webhook, as the chart installs it. */
  static MutatingWebhookConfiguration mutating(
      Target target, String operatorNamespace, String caBundle) {
    MutatingWebhook webhook =
        new MutatingWebhookBuilder()
            .withName("pods.instrumentation.vigil.dev")
            .withAdmissionReviewVersions("v1")
            .withSideEffects("None")
            .withFailurePolicy("Ignore")
            .withTimeoutSeconds(POD_TIMEOUT_SECONDS)
            .withReinvocationPolicy("IfNeeded")
            .withMatchPolicy("Equivalent")
            .withNamespaceSelector(excluding(operatorNamespace, "kube-system"))
            .withRules(
                new RuleWithOperationsBuilder()
                    .withApiGroups("")
                    .withApiVersions("v1")
                    .withResources("pods")
                    .withOperations("CREATE")
                    .withScope("Namespaced")
                    .build())
            .withClientConfig(target.clientConfig(AdmissionEndpoint.MUTATE_PODS, caBundle))
            .build();
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(MUTATING)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "vigil"))
        .endMetadata()
        .withWebhooks(webhook)
        .build();
  }

  /** The webhook of Vigil's kinds, as the chart installs it. */
  static ValidatingWebhookConfiguration validating(Target target, String caBundle) {
    ValidatingWebhook webhook =
        new ValidatingWebhookBuilder()
            .withName("validation.monitoring.vigil.dev")
            .withAdmissionReviewVersions("v1")
            .withSideEffects("None")
            .withFailurePolicy("Ignore")
            .withTimeoutSeconds(VALIDATION_TIMEOUT_SECONDS)
            .withMatchPolicy("Equivalent")
            .withRules(
                new RuleWithOperationsBuilder()
                    .withApiGroups("monitoring.vigil.dev")
                    .withApiVersions("v1alpha1")
                    .withResources(VIGIL_RESOURCES)
                    .withOperations("CREATE", "UPDATE")
                    .withScope("Namespaced")
                    .build())
            .withClientConfig(target.clientConfig(AdmissionEndpoint.VALIDATE, caBundle))
            .build();
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(VALIDATING)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "vigil"))
        .endMetadata()
        .withWebhooks(webhook)
        .build();
  }

  private static LabelSelector excluding(String... namespaces) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey("kubernetes.io/metadata.name")
        .withOperator("NotIn")
        .withValues(List.of(namespaces).stream().filter(Objects::nonNull).distinct().toList())
        .endMatchExpression()
        .build();
  }
}
