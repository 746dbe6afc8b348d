package dev.vigil.e2e.harness;

import static org.awaitility.Awaitility.await;

import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator serving its admission webhooks to the shared {@link RealApiServer}, which reaches
 * them at {@code https://127.0.0.1:<port>} (docs/webhooks.md): the operator applies both webhook
 * configurations itself and keeps their CA; tests remove them afterwards.
 */
public final class WebhookOperator {
  public static final String MUTATING = "vigil-instrumentation";
  public static final String VALIDATING = "vigil-validation";

  private WebhookOperator() {}

  /**
   * Starts the operator as its ServiceAccount, watching {@code namespace}, with the webhooks on a
   * free loopback port and their certificate in {@code vigil-system/<tlsSecret>}; returns once both
   * configurations trust its CA.
   */
  public static OperatorAsServiceAccount start(
      String namespace, String tlsSecret, String... extraFlags) throws IOException {
    int port = RealPrometheus.freePort();
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--leader-election=false",
                "--http-port=0",
                "--watch-namespaces=" + namespace,
                "--platform-namespaces=" + namespace,
                "--webhooks=true",
                "--webhook-port=" + port,
                "--webhook-url=https://127.0.0.1:" + port,
                "--webhook-tls-secret=" + OperatorAsServiceAccount.NAMESPACE + "/" + tlsSecret));
    flags.addAll(List.of(extraFlags));
    OperatorAsServiceAccount operator =
        OperatorAsServiceAccount.start(flags, new VigilOperator.Runtime(true, false));
    KubernetesClient admin = RealApiServer.admin();
    await("both webhook configurations trust the CA")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              MutatingWebhookConfiguration mutating =
                  admin
                      .admissionRegistration()
                      .v1()
                      .mutatingWebhookConfigurations()
                      .withName(MUTATING)
                      .get();
              ValidatingWebhookConfiguration validating =
                  admin
                      .admissionRegistration()
                      .v1()
                      .validatingWebhookConfigurations()
                      .withName(VALIDATING)
                      .get();
              return mutating != null
                  && mutating.getWebhooks().get(0).getClientConfig().getCaBundle() != null
                  && validating != null
                  && validating.getWebhooks().get(0).getClientConfig().getCaBundle() != null;
            });
    return operator;
  }

  /**
   * Keeps the API server from calling the webhooks that an install (the chart, the manifests)
   * points at the Service {@code vigil-operator-webhook}: the API server here has no cluster DNS
   * nor Service network, so a call would resolve {@code <service>.<namespace>.svc} through this
   * machine's resolver and dial a 10/8 ClusterIP, traffic leaving the machine. Each webhook gets an
   * object selector no object matches; the install itself stays as applied otherwise, and its
   * uninstall still removes the configurations.
   */
  public static void neverCalled(KubernetesClient admin) {
    java.util.Map<String, String> nothing = java.util.Map.of("e2e.vigil.dev/never-called", "true");
    admin
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(MUTATING)
        .edit(
            c -> {
              c.getWebhooks()
                  .forEach(
                      w ->
                          w.setObjectSelector(
                              new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                                  .withMatchLabels(nothing)
                                  .build()));
              return c;
            });
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(VALIDATING)
        .edit(
            c -> {
              c.getWebhooks()
                  .forEach(
                      w ->
                          w.setObjectSelector(
                              new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
                                  .withMatchLabels(nothing)
                                  .build()));
              return c;
            });
  }

  /**
   * Deletes both configurations: cluster-wide and named alike in every install path, they would
   * send the rest of the suite's pods and objects to a closed port (failing open, at the cost of a
   * refused connection each) and take the name a later Helm release installs.
   */
  public static void removeConfigurations(KubernetesClient admin) {
    admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(MUTATING).delete();
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(VALIDATING)
        .delete();
  }
}
