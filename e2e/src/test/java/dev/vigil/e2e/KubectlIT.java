package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user sees with the real kubectl: CRDs apply, and `kubectl get` shows useful columns. */
class KubectlIT {
  @Test
  void crdsApplyAndGetShowsThePrinterColumns() throws Exception {
    String kubectl = RealApiServer.tool("VIGIL_KUBECTL");
    String kubeconfig = "--kubeconfig=" + RealApiServer.kubeConfigFile();
    RealApiServer.ensureNamespace("monitoring");
    RealApiServer.ensureNamespace("shop");

    String applied =
        RealApiServer.run(
            Duration.ofSeconds(60),
            kubectl,
            kubeconfig,
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            "crds/");
    assertThat(applied)
        .contains(
            "customresourcedefinition.apiextensions.k8s.io/monitoringstacks.monitoring.vigil.dev serverside-applied");

    RealApiServer.run(
        Duration.ofSeconds(60),
        kubectl,
        kubeconfig,
        "apply",
        "--server-side",
        "--force-conflicts",
        "-f",
        "manifests/examples/");

    String table =
        RealApiServer.run(
            Duration.ofSeconds(60), kubectl, kubeconfig, "get", "ms,vsmon,vpmon,ap,tp", "-A");
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

    String explain =
        RealApiServer.run(
            Duration.ofSeconds(60), kubectl, kubeconfig, "explain", "ms.spec.scraper.shards");
    assertThat(explain).contains("Shards the targets are spread over");

    String categories =
        RealApiServer.run(
            Duration.ofSeconds(60), kubectl, kubeconfig, "get", "vigil", "-A", "-o", "name");
    assertThat(categories.lines()).hasSizeGreaterThanOrEqualTo(5);
  }
}
