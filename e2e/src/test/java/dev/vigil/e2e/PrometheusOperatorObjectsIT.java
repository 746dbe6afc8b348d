package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.e2e.harness.InProcessReloader;
import dev.vigil.e2e.harness.OperatorAsServiceAccount;
import dev.vigil.e2e.harness.RealApiServer;
import dev.vigil.e2e.harness.RealPrometheus;
import dev.vigil.e2e.harness.StackServiceDiscovery;
import dev.vigil.operator.VigilOperator;
import dev.vigil.reconcilers.monitoringstack.PrometheusConfigSecret;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --prometheus-operator-objects=true}, prometheus-operator's ServiceMonitors and
 * PodMonitors as Helm charts ship them (operator/src/test/resources/prometheus-operator, unedited
 * {@code monitoring.coreos.com/v1}) reach a stack's prometheus.yml and its HTTP service discovery,
 * and a chart's PrometheusRule reaches the stack's rule ConfigMaps. PrometheusRules of a namespace
 * a stack selects are loaded by a real Prometheus on the shard's rendered config, their rule files
 * mirrored by the reloader, and fire; edits and deletions reach it, and a namespace the stack does
 * not select never does. On a real API server with RBAC on: the operator runs as the ServiceAccount
 * of manifests/rbac, and the CRDs are prometheus- operator's own full CRDs of the release
 * e2e/tools/install.sh pins ({@link RealApiServer#installPrometheusOperatorCrds}), so every object
 * here passes the real schema.
 */
class PrometheusOperatorObjectsIT {
  static final Path CHARTS =
      RealApiServer.REPO.resolve("operator/src/test/resources/prometheus-operator");

  /** kube-prometheus-stack's node-exporter PrometheusRule (two groups from the mixin). */
  static final Path CHART_RULE =
      RealApiServer.REPO.resolve(
          "operator/src/test/resources/prometheus-operator-rules/node-exporter-rules.yaml");

  static final String STACK = "coreos-compat";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static KubernetesClient admin;
  static OperatorAsServiceAccount operator;

  /** Services, EndpointSlices and a Pod for some of the chart monitors to find. */
  static final String WORLD =
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: kube-prometheus-stack-kubelet
        namespace: kube-system
        labels: {app.kubernetes.io/name: kubelet, k8s-app: kubelet}
      spec:
        clusterIP: None
        ports:
          - {name: https-metrics, port: 10250}
          - {name: http-metrics, port: 10255}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: kube-prometheus-stack-kubelet-x1
        namespace: kube-system
        labels: {kubernetes.io/service-name: kube-prometheus-stack-kubelet}
      addressType: IPv4
      ports:
        - {name: https-metrics, port: 10250, protocol: TCP}
        - {name: http-metrics, port: 10255, protocol: TCP}
      endpoints:
        - addresses: [10.0.0.11]
          conditions: {ready: true}
          targetRef: {kind: Node, name: node-a}
        - addresses: [10.0.0.12]
          conditions: {ready: true}
          targetRef: {kind: Node, name: node-b}
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: cert-manager
        namespace: cert-manager
        labels:
          app.kubernetes.io/name: cert-manager
          app.kubernetes.io/instance: cert-manager
          app.kubernetes.io/component: controller
      spec:
        ports:
          - {name: tcp-prometheus-servicemonitor, port: 9402, targetPort: 9402}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: cert-manager-x1
        namespace: cert-manager
        labels: {kubernetes.io/service-name: cert-manager}
      addressType: IPv4
      ports:
        - {name: tcp-prometheus-servicemonitor, port: 9402, protocol: TCP}
      endpoints:
        - addresses: [10.1.0.20]
          conditions: {ready: true}
          targetRef: {kind: Pod, name: cert-manager-6b9f7c-x1, namespace: cert-manager}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: cert-manager-6b9f7c-x1
        namespace: cert-manager
        labels: {app.kubernetes.io/name: cert-manager}
      spec:
        containers:
          - name: cert-manager-controller
            image: quay.io/jetstack/cert-manager-controller:v1.15.3
            ports:
              - {name: http-metrics, containerPort: 9402}
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: ingress-nginx-controller-metrics
        namespace: ingress-nginx
        labels:
          app.kubernetes.io/name: ingress-nginx
          app.kubernetes.io/instance: ingress-nginx
          app.kubernetes.io/component: controller
      spec:
        ports:
          - {name: metrics, port: 10254}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: ingress-nginx-controller-metrics-x1
        namespace: ingress-nginx
        labels: {kubernetes.io/service-name: ingress-nginx-controller-metrics}
      addressType: IPv4
      ports:
        - {name: metrics, port: 10254, protocol: TCP}
      endpoints:
        - addresses: [10.3.0.4]
          conditions: {ready: true}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: source-controller-7d9c8b-x1
        namespace: flux-system
        labels: {app: source-controller}
      spec:
        containers:
          - name: manager
            image: ghcr.io/fluxcd/source-controller:v1.4.1
            ports:
              - {name: http-prom, containerPort: 8080}
              - {name: healthz, containerPort: 9440}
      """;

  /**
   * A Vigil ServiceMonitor of the same namespace and name as ingress-nginx's chart one: its job
   * names would collide, Vigil's wins. Two endpoints where the chart's has one, to tell them apart.
   */
  static final String SAME_NAME =
      """
      apiVersion: monitoring.vigil.dev/v1alpha1
      kind: ServiceMonitor
      metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
      spec:
        selector:
          matchLabels: {app.kubernetes.io/name: ingress-nginx}
        endpoints:
          - port: metrics
          - port: metrics
            path: /other
      """;

  /**
   * One the real schema lets through (it has no rule across two fields) and Prometheus would refuse
   * (timeout over interval): it is left out; the others are not held up.
   */
  static final String BROKEN =
      """
      apiVersion: monitoring.coreos.com/v1
      kind: PodMonitor
      metadata: {name: refused, namespace: monitoring}
      spec:
        selector: {matchLabels: {app: refused}}
        podMetricsEndpoints: [{port: web, interval: 10s, scrapeTimeout: 30s}]
      """;

  /**
   * One the real schema refuses at apply (an unknown scheme). The schema-less stand-ins of before
   * let it through and Vigil had to leave it out (PrometheusOperatorObjectsTest still checks that).
   */
  static final String UNKNOWN_SCHEME =
      """
      apiVersion: monitoring.coreos.com/v1
      kind: ServiceMonitor
      metadata: {name: unreadable, namespace: monitoring}
      spec:
        selector: {matchLabels: {app: unreadable}}
        endpoints: [{port: web, scheme: gopher}]
      """;

  /** A PrometheusRule of another release, which the stack's policySelector does not select. */
  static final String OTHER_RULE =
      """
      apiVersion: monitoring.coreos.com/v1
      kind: PrometheusRule
      metadata:
        name: other-release
        namespace: monitoring
        labels: {release: other}
      spec:
        groups:
          - name: other.rules
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
      """;

  static final String STACK_YAML =
      """
      apiVersion: monitoring.vigil.dev/v1alpha1
      kind: MonitoringStack
      metadata: {name: coreos-compat, namespace: monitoring}
      spec:
        scraper: {shards: 1}
        monitorSelector:
          namespaceSelector: {}
        policySelector:
          labelSelector:
            matchLabels: {release: kube-prometheus-stack}
      """;

  /** The stack whose shard a real Prometheus runs: rules every second, namespace-enforced. */
  static final String RULES_STACK = "po-rules";

  static final String TEAM_NS = "po-rules-team";
  static final String OTHER_NS = "po-rules-other";

  static final String RULES_STACK_YAML =
      """
      apiVersion: monitoring.vigil.dev/v1alpha1
      kind: MonitoringStack
      metadata: {name: po-rules, namespace: monitoring}
      spec:
        scraper:
          shards: 1
          evaluationInterval: 1s
          enforcedNamespaceLabel: namespace
        policySelector:
          namespaceSelector:
            matchLabels: {vigil-e2e/po-rules: selected}
      """;

  /**
   * A team's PrometheusRule in prometheus-operator's own spelling: a recording rule, an alert on
   * the recorded series, an alert with PO's {@code for: "0"}, and the group fields PO has
   * (interval, query_offset, limit, labels, partial_response_strategy, which only Thanos Ruler
   * reads). {@code %s} is the alert's severity, {@code %d} the recorded value.
   */
  static final String TEAM_RULE =
      """
      apiVersion: monitoring.coreos.com/v1
      kind: PrometheusRule
      metadata: {name: team-rules, namespace: po-rules-team}
      spec:
        groups:
          - name: team
            interval: 1s
            query_offset: 0s
            limit: 10
            partial_response_strategy: warn
            labels: {team: a}
            rules:
              - record: team:ready:sum
                expr: vector(%d)
                labels: {source: po}
              - alert: TeamAlwaysFiring
                expr: team:ready:sum{source="po"} > 0
                for: 1s
                keep_firing_for: 1m
                labels: {severity: %s}
                annotations:
                  summary: '{{ $labels.namespace }} reports {{ $value }}'
              - alert: TeamAtOnce
                expr: vector(1)
                for: "0"
      """;

  /** A second rule of the team, deleted while Prometheus runs. */
  static final String DOOMED_RULE =
      """
      apiVersion: monitoring.coreos.com/v1
      kind: PrometheusRule
      metadata: {name: doomed, namespace: po-rules-team}
      spec:
        groups:
          - name: doomed
            rules:
              - record: doomed:one
                expr: vector(1)
      """;

  /** The same kind of rule in a namespace the stack does not select: it never reaches the shard. */
  static final String OUTSIDER_RULE =
      """
      apiVersion: monitoring.coreos.com/v1
      kind: PrometheusRule
      metadata: {name: outsider, namespace: po-rules-other}
      spec:
        groups:
          - name: outsider
            interval: 1s
            rules:
              - alert: OutsiderFiring
                expr: vector(1)
      """;

  @BeforeAll
  static void installCrdsAndStartTheOperator() throws IOException {
    admin = RealApiServer.admin();
    for (String ns :
        List.of(
            "monitoring",
            "vigil-system",
            "cert-manager",
            "ingress-nginx",
            "argocd",
            "linkerd-viz",
            "flux-system",
            TEAM_NS,
            OTHER_NS)) {
      RealApiServer.ensureNamespace(ns);
    }
    RealApiServer.installPrometheusOperatorCrds();
    // Service discovery on loopback, so that a real Prometheus on a stack's config asks only here.
    int port = RealPrometheus.freePort();
    operator =
        OperatorAsServiceAccount.start(
            List.of(
                "--leader-election=false",
                "--http-port=" + port,
                "--service-discovery-url=http://127.0.0.1:" + port,
                "--prometheus-operator-objects=true",
                "--platform-namespaces=monitoring"),
            new VigilOperator.Runtime(true, false));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void chartMonitorsReachTheConfigAndServiceDiscovery() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(operator.vigil()::ready);
    List<GenericKubernetesResource> charts = applyChartMonitors();
    // No controller-manager makes the default ServiceAccount that admission wants for Pods.
    for (String ns : List.of("cert-manager", "flux-system")) {
      apply(
          new ServiceAccountBuilder()
              .withNewMetadata()
              .withName("default")
              .withNamespace(ns)
              .endMetadata()
              .build());
    }
    for (String document : WORLD.split("---\n")) {
      apply(admin.getKubernetesSerialization().unmarshal(document));
    }
    running("cert-manager", "cert-manager-6b9f7c-x1", "10.1.0.20");
    running("flux-system", "source-controller-7d9c8b-x1", "10.2.0.7");
    apply(admin.getKubernetesSerialization().unmarshal(SAME_NAME));
    apply(admin.getKubernetesSerialization().unmarshal(BROKEN));
    HasMetadata unknownScheme = admin.getKubernetesSerialization().unmarshal(UNKNOWN_SCHEME);
    assertThatThrownBy(() -> apply(unknownScheme))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.endpoints[0].scheme")
        .hasMessageContaining("gopher");
    apply(admin.getKubernetesSerialization().unmarshal(STACK_YAML));

    // Every chart monitor's jobs are in the stack's prometheus.yml, but ingress-nginx's: Vigil's
    // own ServiceMonitor of that name has them.
    List<String> expected = new ArrayList<>();
    for (GenericKubernetesResource chart : charts) {
      if (chart.getMetadata().getName().equals("ingress-nginx-controller")) {
        continue;
      }
      expected.addAll(jobNames(chart));
    }
    assertThat(expected).hasSize(9);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String config = prometheusYml();
              for (String job : expected) {
                assertThat(config).contains("job_name: " + job + "\n");
              }
              assertThat(config)
                  .contains("job_name: serviceMonitor/ingress-nginx/ingress-nginx-controller/1\n")
                  .contains("metrics_path: /other");
            });
    assertThat(prometheusYml())
        .doesNotContain("serviceMonitor/monitoring/unreadable/")
        .doesNotContain("podMonitor/monitoring/refused/");
    String config = prometheusYml();
    assertThat(config)
        .contains("metrics_path: /metrics/cadvisor")
        .contains("credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token")
        .contains("action: hashmod");

    // HTTP service discovery serves their targets, with the token of the stack.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(targets("serviceMonitor/monitoring/kube-prometheus-stack-kubelet/0"))
                  .containsExactlyInAnyOrder("10.0.0.11:10250", "10.0.0.12:10250");
              assertThat(targets("serviceMonitor/monitoring/kube-prometheus-stack-kubelet/2"))
                  .containsExactlyInAnyOrder("10.0.0.11:10250", "10.0.0.12:10250");
              assertThat(targets("serviceMonitor/cert-manager/cert-manager/0"))
                  .containsExactly("10.1.0.20:9402");
              assertThat(targets("podMonitor/flux-system/flux-system/0"))
                  .containsExactly("10.2.0.7:8080");
              assertThat(targets("serviceMonitor/ingress-nginx/ingress-nginx-controller/1"))
                  .containsExactly("10.3.0.4:10254");
            });
    JsonNode groups = sd("serviceMonitor/monitoring/kube-prometheus-stack-kubelet/0");
    assertThat(groups.get(0).get("labels").get("__meta_kubernetes_service_name").asText())
        .isEqualTo("kube-prometheus-stack-kubelet");
    assertThat(groups.get(0).get("labels").get("__meta_kubernetes_namespace").asText())
        .isEqualTo("kube-system");

    // Nothing is written to prometheus-operator's objects: no status, no field manager of Vigil.
    for (GenericKubernetesResource chart : charts) {
      GenericKubernetesResource fresh =
          admin
              .genericKubernetesResources("monitoring.coreos.com/v1", chart.getKind())
              .inNamespace(chart.getMetadata().getNamespace())
              .withName(chart.getMetadata().getName())
              .get();
      assertThat(fresh.getAdditionalProperties()).doesNotContainKey("status");
      assertThat(fresh.getMetadata().getManagedFields())
          .allSatisfy(m -> assertThat(m.getManager()).isEqualTo("vigil-e2e"));
    }

    // A chart monitor that goes leaves the configuration.
    admin
        .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
        .inNamespace("cert-manager")
        .withName("cert-manager")
        .delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(prometheusYml()).doesNotContain("serviceMonitor/cert-manager/"));
  }

  @Test
  void chartRulesReachTheRuleConfigMapsAndPassPromtool(@TempDir Path dir) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(operator.vigil()::ready);
    GenericKubernetesResource chart =
        admin
            .getKubernetesSerialization()
            .unmarshal(Files.readString(CHART_RULE), GenericKubernetesResource.class);
    apply(chart);
    apply(admin.getKubernetesSerialization().unmarshal(OTHER_RULE));
    apply(admin.getKubernetesSerialization().unmarshal(STACK_YAML));

    // Each group of the chart's rule, as <ns>/<name>/<group>, with its rules' expressions as
    // written, and their labels and annotations exactly as written: this stack enforces no
    // namespace label, so Vigil adds none (as prometheus-operator); the other release's rule is
    // not selected.
    JsonNode written = YAML.readTree(CHART_RULE.toFile()).get("spec").get("groups");
    String prefix = "monitoring/kube-prometheus-stack-node-exporter/";
    List<String> groupNames = new ArrayList<>();
    written.forEach(g -> groupNames.add(prefix + g.get("name").asText()));
    assertThat(groupNames).hasSize(2);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(ruleGroups(ruleFiles())).containsOnlyKeys(groupNames));
    Map<String, JsonNode> groups = ruleGroups(ruleFiles());
    int rules = 0;
    for (JsonNode group : written) {
      JsonNode rendered = groups.get(prefix + group.get("name").asText());
      assertThat(rendered.get("rules").size()).isEqualTo(group.get("rules").size());
      for (int i = 0; i < group.get("rules").size(); i++) {
        JsonNode rule = group.get("rules").get(i);
        JsonNode got = rendered.get("rules").get(i);
        String what = rule.has("alert") ? "alert" : "record";
        assertThat(got.path(what).asText()).isEqualTo(rule.get(what).asText());
        assertThat(got.path("expr").asText().strip())
            .as("%s %s", what, rule.get(what).asText())
            .isEqualTo(rule.get("expr").asText().strip());
        assertThat(got.path("labels")).isEqualTo(rule.path("labels"));
        assertThat(got.path("annotations")).isEqualTo(rule.path("annotations"));
        rules++;
      }
    }
    // PrometheusRule's own spelling survives the real schema and the conversion.
    JsonNode alerts = groups.get(prefix + "node-exporter");
    assertThat(alerts.path("interval").asText()).isEqualTo("1m");
    assertThat(alerts.path("partial_response_strategy").isMissingNode()).isTrue();
    assertThat(alerts.get("rules").get(2).path("keep_firing_for").asText()).isEqualTo("5m");
    assertThat(alerts.get("rules").get(0).path("for").asText()).isEqualTo("1h");
    assertThat(prometheusYml()).contains("/etc/prometheus/rules/" + STACK + "-prometheus-rules-0/");

    // The real promtool loads the rule files as the reloader would write them.
    List<String> command =
        new ArrayList<>(List.of(RealApiServer.tool("VIGIL_PROMTOOL"), "check", "rules"));
    for (Map.Entry<String, String> file : ruleFiles().entrySet()) {
      Path path = dir.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
      command.add(path.toString());
    }
    assertThat(RealApiServer.run(Duration.ofSeconds(60), command.toArray(String[]::new)))
        .contains("SUCCESS: " + rules + " rules found");

    // Nothing is written to the PrometheusRule.
    GenericKubernetesResource fresh =
        admin
            .genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
            .inNamespace("monitoring")
            .withName(chart.getMetadata().getName())
            .get();
    assertThat(fresh.getAdditionalProperties()).doesNotContainKey("status");
    assertThat(fresh.getMetadata().getManagedFields())
        .allSatisfy(m -> assertThat(m.getManager()).isEqualTo("vigil-e2e"));

    // A PrometheusRule that goes leaves the rule ConfigMaps.
    admin.resource(fresh).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(ruleGroups(ruleFiles())).isEmpty());
  }

  /**
   * PrometheusRules of a selected namespace reach the shard of a real Prometheus through the rule
   * ConfigMap and the reloader (in-process, as its own ServiceAccount), load, and fire; an edit
   * reaches the running Prometheus, a deleted rule leaves it, and a rule of a namespace the stack
   * does not select never arrives.
   */
  @Test
  void selectedRulesLoadAndFireInARealPrometheus(@TempDir Path work) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(operator.vigil()::ready);
    admin
        .namespaces()
        .withName(TEAM_NS)
        .edit(
            ns -> {
              ns.getMetadata().getLabels().put("vigil-e2e/po-rules", "selected");
              return ns;
            });
    apply(admin.getKubernetesSerialization().unmarshal(TEAM_RULE.formatted(1, "warning")));
    apply(admin.getKubernetesSerialization().unmarshal(DOOMED_RULE));
    apply(admin.getKubernetesSerialization().unmarshal(OUTSIDER_RULE));
    apply(admin.getKubernetesSerialization().unmarshal(RULES_STACK_YAML));

    String configMap = RULES_STACK + "-prometheus-rules-0";
    String configSecret = RULES_STACK + "-prometheus-0-config";
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ConfigMap rules =
                  admin.configMaps().inNamespace("monitoring").withName(configMap).get();
              assertThat(rules).as(configMap).isNotNull();
              assertThat(rules.getData())
                  .containsOnlyKeys(TEAM_NS + "_team-rules.yaml", TEAM_NS + "_doomed.yaml");
              assertThat(secretText(configSecret, "prometheus.yml.gz"))
                  .contains(RealPrometheus.POD_RULES_DIR + configMap + "/*.yaml");
            });

    // The reloader mirrors the rule ConfigMap into rules/<configmap>/ as in the pod; Prometheus
    // runs on the rendered prometheus.yml with only that directory moved here.
    int port = RealPrometheus.freePort();
    Path rulesDir = work.resolve("rules");
    Path rendered = work.resolve("reloader/prometheus.yml");
    List<String> flags =
        List.of(
            "--namespace=monitoring",
            "--secret=" + configSecret,
            "--key=prometheus.yml.gz",
            "--output=" + rendered,
            "--config-map=" + configMap,
            "--rules-dir=" + rulesDir,
            "--reload-url=" + RealPrometheus.reloadUrl(port),
            "--reload-timeout=3s",
            "--once-timeout=30s");
    try (InProcessReloader reloader =
        InProcessReloader.withOwnServiceAccount(
            "monitoring", "po-rules-reloader", configSecret, List.of(configMap))) {
      assertThat(reloader.once(flags)).isTrue();
      Path config =
          RealPrometheus.shardConfig(
              Files.readString(rendered), rulesDir, work.resolve("prometheus/prometheus.yml"));
      try (RealPrometheus prometheus =
          RealPrometheus.start(config, work.resolve("prometheus"), port)) {
        reloader.start(flags);
        await().atMost(Duration.ofSeconds(20)).until(reloader::ready);
        long pid = prometheus.pid();
        String team = TEAM_NS + "/team-rules/team";
        String doomed = TEAM_NS + "/doomed/doomed";
        assertThat(prometheus.ruleGroups()).containsExactly(doomed, team);

        // The groups as PrometheusRule wrote them, with the label the stack enforces.
        JsonNode group = loadedGroup(prometheus, team);
        assertThat(group.path("interval").asDouble()).isEqualTo(1.0);
        assertThat(group.path("limit").asInt()).isEqualTo(10);
        JsonNode record = group.path("rules").get(0);
        assertThat(record.path("type").asText()).isEqualTo("recording");
        assertThat(record.path("name").asText()).isEqualTo("team:ready:sum");
        assertThat(record.path("query").asText()).isEqualTo("vector(1)");
        assertThat(labels(record.path("labels")))
            .containsEntry("namespace", TEAM_NS)
            .containsEntry("source", "po");
        JsonNode alert = group.path("rules").get(1);
        assertThat(alert.path("type").asText()).isEqualTo("alerting");
        assertThat(alert.path("name").asText()).isEqualTo("TeamAlwaysFiring");
        assertThat(alert.path("query").asText())
            .isEqualTo("team:ready:sum{namespace=\"" + TEAM_NS + "\",source=\"po\"} > 0");
        assertThat(alert.path("duration").asDouble()).isEqualTo(1.0);
        assertThat(alert.path("keepFiringFor").asDouble()).isEqualTo(60.0);
        assertThat(labels(alert.path("labels")))
            .containsEntry("namespace", TEAM_NS)
            .containsEntry("severity", "warning");
        assertThat(group.path("rules").get(2).path("duration").asDouble()).isZero();
        // Thanos's partial_response_strategy, which Prometheus refuses, is dropped.
        assertThat(
                Files.readString(rulesDir.resolve(configMap + "/" + TEAM_NS + "_team-rules.yaml")))
            .contains("query_offset: 0s")
            .doesNotContain("partial_response_strategy");

        // They fire, and the recorded series is there, in the team's namespace.
        long start = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  Map<String, JsonNode> firing = firingAlerts(prometheus);
                  assertThat(firing)
                      .as("alerts: %s%n%s", prometheus.api("/api/v1/alerts"), prometheus.log())
                      .containsOnlyKeys("TeamAlwaysFiring", "TeamAtOnce");
                  assertThat(recorded(prometheus, "team:ready:sum")).containsOnlyKeys("1");
                });
        System.out.printf(
            "Prometheus started -> PrometheusRule alerts firing: %d ms%n",
            Duration.ofNanos(System.nanoTime() - start).toMillis());
        JsonNode firing = firingAlerts(prometheus).get("TeamAlwaysFiring");
        assertThat(labels(firing.path("labels")))
            .containsEntry("namespace", TEAM_NS)
            .containsEntry("severity", "warning")
            .containsEntry("team", "a");
        assertThat(firing.path("annotations").path("summary").asText())
            .isEqualTo(TEAM_NS + " reports 1");
        assertThat(labels(recorded(prometheus, "team:ready:sum").get("1")))
            .containsEntry("namespace", TEAM_NS)
            .containsEntry("source", "po")
            .containsEntry("team", "a");

        // An edit reaches the running Prometheus: a new value and a new label.
        long edited = System.nanoTime();
        apply(admin.getKubernetesSerialization().unmarshal(TEAM_RULE.formatted(2, "critical")));
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(
                () ->
                    assertThat(
                            labels(
                                loadedGroup(prometheus, team).path("rules").get(1).path("labels")))
                        .containsEntry("severity", "critical"));
        System.out.printf(
            "PrometheusRule edited -> Prometheus has the new rule: %d ms%n",
            Duration.ofNanos(System.nanoTime() - edited).toMillis());
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  assertThat(recorded(prometheus, "team:ready:sum")).containsOnlyKeys("2");
                  // The edited rule is a new rule: its alert is pending for 1s, then fires.
                  JsonNode now = firingAlerts(prometheus).get("TeamAlwaysFiring");
                  assertThat(now).as("TeamAlwaysFiring firing").isNotNull();
                  assertThat(now.path("labels").path("severity").asText()).isEqualTo("critical");
                });

        // A deleted PrometheusRule leaves the running Prometheus.
        admin
            .genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
            .inNamespace(TEAM_NS)
            .withName("doomed")
            .delete();
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> assertThat(prometheus.ruleGroups()).containsExactly(team));

        // The outsider never arrived; nothing restarted; Prometheus talked only to loopback.
        assertThat(
                Files.readString(rulesDir.resolve(configMap + "/" + TEAM_NS + "_team-rules.yaml")))
            .doesNotContain("Outsider");
        try (Stream<Path> files = Files.list(rulesDir.resolve(configMap))) {
          assertThat(files.map(f -> f.getFileName().toString()))
              .containsExactly(TEAM_NS + "_team-rules.yaml");
        }
        assertThat(firingAlerts(prometheus)).doesNotContainKey("OutsiderFiring");
        assertThat(prometheus.pid()).isEqualTo(pid);
        assertThat(prometheus.assertTrafficStaysLocal()).isNotEmpty();
      }
    }
  }

  /** One group of {@code GET /api/v1/rules}, by name. */
  static JsonNode loadedGroup(RealPrometheus prometheus, String name) throws IOException {
    for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
      if (group.path("name").asText().equals(name)) {
        return group;
      }
    }
    throw new AssertionError("no rule group " + name + " loaded");
  }

  /** The alerts of {@code GET /api/v1/alerts} in state firing, by alertname. */
  static Map<String, JsonNode> firingAlerts(RealPrometheus prometheus) throws IOException {
    Map<String, JsonNode> firing = new TreeMap<>();
    for (JsonNode alert : prometheus.api("/api/v1/alerts").path("alerts")) {
      if (alert.path("state").asText().equals("firing")) {
        firing.put(alert.path("labels").path("alertname").asText(), alert);
      }
    }
    return firing;
  }

  /** The series of an instant query of {@code metric}: each series' labels, by its value. */
  static Map<String, JsonNode> recorded(RealPrometheus prometheus, String metric)
      throws IOException {
    Map<String, JsonNode> series = new TreeMap<>();
    JsonNode data =
        prometheus.api("/api/v1/query?query=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
    for (JsonNode result : data.path("result")) {
      series.put(result.path("value").get(1).asText(), result.path("metric"));
    }
    return series;
  }

  static Map<String, String> labels(JsonNode labels) {
    Map<String, String> map = new TreeMap<>();
    labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /** A key of a Secret in the stack namespace, unzipped when it ends in .gz. */
  static String secretText(String name, String key) {
    return RealApiServer.secretText("monitoring", name, key)
        .orElseThrow(() -> new AssertionError("no key " + key + " in Secret monitoring/" + name));
  }

  /**
   * The files of the stack's rule ConfigMaps ({@code <stack>-prometheus-rules-<i>}), keyed {@code
   * <configmap>/<key>} as the reloader lays them out under /etc/prometheus/rules.
   */
  static Map<String, String> ruleFiles() {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; ; i++) {
      ConfigMap configMap =
          admin
              .configMaps()
              .inNamespace("monitoring")
              .withName(STACK + "-prometheus-rules-" + i)
              .get();
      if (configMap == null) {
        return files;
      }
      if (configMap.getData() != null) {
        configMap
            .getData()
            .forEach(
                (key, value) -> files.put(configMap.getMetadata().getName() + "/" + key, value));
      }
    }
  }

  /** Every group of these rule files, by name. */
  static Map<String, JsonNode> ruleGroups(Map<String, String> files) throws IOException {
    Map<String, JsonNode> groups = new TreeMap<>();
    for (String content : files.values()) {
      for (JsonNode group : YAML.readTree(content).path("groups")) {
        groups.put(group.get("name").asText(), group);
      }
    }
    return groups;
  }

  static List<GenericKubernetesResource> applyChartMonitors() throws IOException {
    List<GenericKubernetesResource> applied = new ArrayList<>();
    try (Stream<Path> files = Files.list(CHARTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        GenericKubernetesResource chart =
            admin
                .getKubernetesSerialization()
                .unmarshal(Files.readString(file), GenericKubernetesResource.class);
        chart.getAdditionalProperties().remove("status");
        admin.resource(chart).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
        applied.add(chart);
      }
    }
    return applied;
  }

  /** serviceMonitor/ns/name/i or podMonitor/ns/name/i for each endpoint, as in prometheus.yml. */
  @SuppressWarnings("unchecked")
  static List<String> jobNames(GenericKubernetesResource chart) {
    Map<String, Object> spec = (Map<String, Object>) chart.getAdditionalProperties().get("spec");
    boolean service = chart.getKind().equals("ServiceMonitor");
    List<Object> endpoints = (List<Object>) spec.get(service ? "endpoints" : "podMetricsEndpoints");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      names.add(
          (service ? "serviceMonitor/" : "podMonitor/")
              + chart.getMetadata().getNamespace()
              + "/"
              + chart.getMetadata().getName()
              + "/"
              + i);
    }
    return names;
  }

  /** A Pod running with an IP, as a kubelet would report it (there is none here). */
  static void running(String namespace, String name, String ip) {
    Pod pod =
        admin
            .pods()
            .inNamespace(namespace)
            .withName(name)
            .editStatus(
                p -> {
                  p.getStatus().setPhase("Running");
                  p.getStatus().setPodIP(ip);
                  return p;
                });
    assertThat(pod.getStatus().getPodIP()).isEqualTo(ip);
  }

  /** Shard 0's prometheus.yml, from its config Secret (gzipped there). */
  static String prometheusYml() throws IOException {
    return secretText(STACK + "-prometheus-0-config", PrometheusConfigSecret.KEY);
  }

  static StackServiceDiscovery serviceDiscovery() {
    return new StackServiceDiscovery(admin, operator.vigil().httpPort(), "monitoring", STACK, 0);
  }

  static JsonNode sd(String job) throws Exception {
    return serviceDiscovery().answer(job);
  }

  static List<String> targets(String job) throws Exception {
    return serviceDiscovery().targets(job);
  }

  static void apply(HasMetadata object) {
    admin.resource(object).fieldManager("vigil-e2e").forceConflicts().serverSideApply();
  }
}
