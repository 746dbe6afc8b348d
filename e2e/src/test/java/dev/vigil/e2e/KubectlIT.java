package dev.vigil.e2e;

import static dev.vigil.e2e.harness.RealApiServer.kubectl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.e2e.harness.RealApiServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user sees with the real kubectl: CRDs apply, and `kubectl get` shows useful columns. */
class KubectlIT {
  @Test
  void crdsApplyAndGetShowsThePrinterColumns() throws Exception {
    RealApiServer.ensureNamespace("monitoring");
    RealApiServer.ensureNamespace("shop");

    assertThat(kubectl("apply", "--server-side", "--force-conflicts", "-f", "crds/"))
        .contains(
            "customresourcedefinition.apiextensions.k8s.io/monitoringstacks.monitoring.vigil.dev"
                + " serverside-applied");

    kubectl("apply", "--server-side", "--force-conflicts", "-f", "manifests/examples/");

    String table = kubectl("get", "ms,vsmon,vpmon,ap,tp", "-A");
    List<String> headers = table.lines().filter(l -> l.startsWith("NAMESPACE")).toList();
    assertThat(headers)
        .anySatisfy(h -> assertThat(h).matches("NAMESPACE +NAME +SHARDS +TARGETS +READY +AGE"))
        .anySatisfy(h -> assertThat(h).matches("NAMESPACE +NAME +TARGETS +ACCEPTED +AGE"))
        .anySatisfy(h -> assertThat(h).matches("NAMESPACE +NAME +RULES +READY +AGE"))
        .anySatisfy(h -> assertThat(h).matches("NAMESPACE +NAME +MODE +ENDPOINT +READY +AGE"));
    assertThat(table)
        .contains("monitoringstack.monitoring.vigil.dev/platform")
        .contains("servicemonitor.monitoring.vigil.dev/checkout")
        .contains("podmonitor.monitoring.vigil.dev/workers")
        .contains("alertpolicy.monitoring.vigil.dev/checkout-slo")
        .contains("tracingpipeline.monitoring.vigil.dev/shop-traces");

    assertThat(kubectl("explain", "ms.spec.scraper.shards"))
        .contains("Shards the targets are spread over");

    assertThat(kubectl("get", "vigil", "-A", "-o", "name").lines()).hasSizeGreaterThanOrEqualTo(5);
  }
}
