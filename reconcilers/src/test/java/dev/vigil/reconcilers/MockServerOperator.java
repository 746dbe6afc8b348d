package dev.vigil.reconcilers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

/** Starts JOSDK with one reconciler against the fabric8 mock server. */
public final class MockServerOperator {
  private MockServerOperator() {}

  /**
   * The mock server cannot do server-side apply, so status patches and dependents use merge patches
   * here; the real API server tests (e2e) cover server-side apply.
   */
  public static Operator start(KubernetesClient client, Reconciler<?> reconciler) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false));
    operator.register(reconciler);
    operator.start();
    return operator;
  }
}
