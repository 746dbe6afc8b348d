package dev.vigil.e2e.harness;

import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.VigilOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The operator in the test JVM on the shared {@link RealApiServer}, acting as the ServiceAccount of
 * manifests/rbac (impersonated), so exactly the RBAC Vigil ships applies: a missing rule fails with
 * a 403, as in a cluster.
 */
public final class OperatorAsServiceAccount implements AutoCloseable {
  public static final String NAMESPACE = "vigil-system";
  static final String ACCOUNT = "vigil-operator";

  private final KubernetesClient client;
  private final VigilOperator vigil;

  private OperatorAsServiceAccount(KubernetesClient client, VigilOperator vigil) {
    this.client = client;
    this.vigil = vigil;
  }

  /** Applies manifests/rbac and starts the operator with these flags. */
  public static OperatorAsServiceAccount start(List<String> flags, VigilOperator.Runtime runtime)
      throws IOException {
    RealApiServer.ensureNamespace(NAMESPACE);
    RealApiServer.applyOperatorRbac();
    KubernetesClient client = RealApiServer.clientAs(NAMESPACE, ACCOUNT);
    VigilOperator vigil = new VigilOperator(OperatorConfig.from(flags, Map.of()), client, runtime);
    vigil.start();
    return new OperatorAsServiceAccount(client, vigil);
  }

  /** The client the operator uses: what it may do is what the ServiceAccount may do. */
  public KubernetesClient client() {
    return client;
  }

  public VigilOperator vigil() {
    return vigil;
  }

  @Override
  public void close() {
    vigil.close();
    client.close();
  }
}
