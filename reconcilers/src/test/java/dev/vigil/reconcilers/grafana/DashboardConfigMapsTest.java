package dev.vigil.reconcilers.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.reconcilers.grafana.DashboardConfigMaps.Limits;
import dev.vigil.reconcilers.grafana.DashboardConfigMaps.Result;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Aggregation of labelled ConfigMaps' dashboards: one bad dashboard never stops the others. */
class DashboardConfigMapsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static String dashboard(String uid, String title) {
    return "{\"id\": 12, \"uid\": \"" + uid + "\", \"title\": \"" + title + "\", \"panels\": []}";
  }

  static ConfigMap configMap(String namespace, String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .addToLabels(DashboardConfigMaps.LABEL, "true")
        .endMetadata()
        .withData(data)
        .build();
  }

  private static List<String> problems(Result r) {
    return r.problems().stream().map(ProvisioningProblem::describe).toList();
  }

  @Test
  void loadsEveryJsonKeySortedWithoutIds() throws Exception {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("b.json", dashboard("b", "B"));
    data.put("a.json", dashboard("a", "A"));
    data.put("README.md", "not a dashboard");
    Result r =
        DashboardConfigMaps.aggregate(
            List.of(
                configMap("shop", "web", data),
                configMap("billing", "api", Map.of("x.json", dashboard("x", "X")))));
    assertThat(r.files().keySet())
        .containsExactly("billing_api_x.json", "shop_web_a.json", "shop_web_b.json");
    assertThat(r.count()).isEqualTo(3);
    assertThat(r.problems()).isEmpty();
    JsonNode a = JSON.readTree(r.files().get("shop_web_a.json"));
    assertThat(a.get("uid").asText()).isEqualTo("a");
    assertThat(a.has("id")).as("Grafana assigns ids").isFalse();
    assertThat(r.bytes()).isPositive();
  }

  @Test
  void sameResultWhateverTheInputOrder() {
    List<ConfigMap> maps = new ArrayList<>();
    maps.add(configMap("shop", "one", Map.of("d.json", dashboard("same", "One"))));
    maps.add(configMap("shop", "two", Map.of("d.json", dashboard("same", "Two"))));
    Result forward = DashboardConfigMaps.aggregate(maps);
    Result backward = DashboardConfigMaps.aggregate(List.of(maps.get(1), maps.get(0)));
    assertThat(backward).isEqualTo(forward);
  }

  @Test
  void invalidJsonIsReportedAndTheRestLoad() {
    Result r =
        DashboardConfigMaps.aggregate(
            List.of(
                configMap(
                    "shop",
                    "web",
                    Map.of(
                        "broken.json", "{\"uid\": \"broken\", \"title\": ",
                        "dupkey.json", "{\"uid\": \"d\", \"uid\": \"e\", \"title\": \"T\"}",
                        "array.json", "[]",
                        "good.json", dashboard("good", "Good")))));
    assertThat(r.files().keySet()).containsExactly("shop_web_good.json");
    assertThat(problems(r))
        .hasSize(3)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("shop/web key array.json: a dashboard must be a JSON object"))
        .anySatisfy(p -> assertThat(p).startsWith("shop/web key broken.json: not valid JSON: "))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("shop/web key dupkey.json: not valid JSON: Duplicate field 'uid'"));
  }

  @Test
  void missingOrBadUidOrTitleIsReported() {
    Result r =
        DashboardConfigMaps.aggregate(
            List.of(
                configMap(
                    "shop",
                    "web",
                    Map.of(
                        "nouid.json",
                        "{\"title\": \"No uid\"}",
                        "notitle.json",
                        "{\"uid\": \"t\"}",
                        "longuid.json",
                        dashboard("u".repeat(41), "Long"),
                        "slash.json",
                        dashboard("a/b", "Slash")))));
    assertThat(r.files()).isEmpty();
    assertThat(problems(r))
        .containsExactly(
            "shop/web key longuid.json: uid \""
                + "u".repeat(41)
                + "\" is not 1 to 40 letters, digits, - or _",
            "shop/web key notitle.json: dashboard has no title",
            "shop/web key nouid.json: dashboard has no uid; set one so links and provisioning"
                + " are stable",
            "shop/web key slash.json: uid \"a/b\" is not 1 to 40 letters, digits, - or _");
  }

  @Test
  void duplicateUidKeepsTheFirstByNamespaceAndName() {
    Result r =
        DashboardConfigMaps.aggregate(
            List.of(
                configMap("shop", "zz", Map.of("d.json", dashboard("same", "Later"))),
                configMap("billing", "aa", Map.of("d.json", dashboard("same", "First"))),
                configMap(
                    "shop",
                    "shipped",
                    Map.of("n.json", dashboard("vigil-node-overview", "Mine")))));
    assertThat(r.files().keySet()).containsExactly("billing_aa_d.json");
    assertThat(problems(r))
        .containsExactly(
            "shop/shipped key n.json: uid vigil-node-overview is taken by a dashboard Vigil"
                + " ships; left out",
            "shop/zz key d.json: uid same is already used by billing/aa key d.json; left out");
  }

  @Test
  void tooBigDashboardsAreLeftOut() {
    String big = "{\"uid\": \"big\", \"title\": \"Big\", \"pad\": \"" + "x".repeat(2000) + "\"}";
    Result single =
        DashboardConfigMaps.aggregate(
            List.of(
                configMap(
                    "shop", "web", Map.of("big.json", big, "small.json", dashboard("s", "S")))),
            new Limits(1000, 1_000_000),
            Set.of());
    assertThat(single.files().keySet()).containsExactly("shop_web_small.json");
    assertThat(problems(single))
        .containsExactly(
            "shop/web key big.json: dashboard is "
                + big.length()
                + " bytes, more than the limit of 1000; left out");

    // The total: dashboards load in file-name order until the next one does not fit; a file's
    // name counts, as it is a key of the ConfigMap Grafana mounts.
    String first = dashboard("first", "F");
    int firstSize = "{\"uid\":\"first\",\"title\":\"F\",\"panels\":[]}".length();
    int firstWithName = firstSize + "a_one_d.json".length();
    Result total =
        DashboardConfigMaps.aggregate(
            List.of(
                configMap("a", "one", Map.of("d.json", first)),
                configMap("b", "two", Map.of("d.json", dashboard("second", "S")))),
            new Limits(1000, firstWithName + 10),
            Set.of());
    assertThat(total.files().keySet()).containsExactly("a_one_d.json");
    assertThat(total.bytes()).isEqualTo(firstSize);
    assertThat(problems(total))
        .singleElement()
        .asString()
        .startsWith(
            "b/two key d.json: the dashboards read before it already take " + firstWithName);
  }

  @Test
  void theDefaultLimitRefusesMoreThanAConfigMapHolds() {
    String huge =
        "{\"uid\": \"huge\", \"title\": \"Huge\", \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}";
    Result r =
        DashboardConfigMaps.aggregate(List.of(configMap("shop", "web", Map.of("h.json", huge))));
    assertThat(r.count()).isZero();
    assertThat(problems(r)).singleElement().asString().contains("more than the limit of 1048576");
  }

  /**
   * Regression: file names did not count towards the total, so thousands of tiny dashboards under
   * long keys made an aggregated ConfigMap the API server refuses (over 1 MiB).
   */
  @Test
  void manySmallDashboardsWithLongNamesStillFitOneConfigMap() {
    List<ConfigMap> configMaps = new ArrayList<>();
    String longName = "d".repeat(200);
    for (int i = 0; i < 6000; i++) {
      configMaps.add(
          configMap("shop", longName + i, Map.of("d.json", dashboard("u" + i, "T" + i))));
    }
    Result r = DashboardConfigMaps.aggregate(configMaps);
    long keysAndValues =
        r.files().entrySet().stream()
            .mapToLong(e -> e.getKey().length() + e.getValue().length())
            .sum();
    assertThat(keysAndValues).isLessThanOrEqualTo(1_000_000);
    assertThat(r.count()).isGreaterThan(1000);
    assertThat(r.problems()).hasSize(6000 - r.count());
  }

  @Test
  void binaryDataDashboardsAreReported() {
    ConfigMap cm =
        new ConfigMapBuilder(configMap("shop", "web", Map.of()))
            .withBinaryData(Map.of("d.json", "e30="))
            .build();
    assertThat(problems(DashboardConfigMaps.aggregate(List.of(cm))))
        .containsExactly(
            "shop/web key d.json: dashboards are read from data, not binaryData; left out");
  }

  /**
   * Ten thousand labelled ConfigMaps in one namespace: the collector holds only what could load
   * (twice the total limit of data), names the rest in one problem, and loads the same dashboards
   * as reading them all would.
   */
  @Test
  void selectedHoldsNoMoreThanCouldLoadAndNamesTheRest() {
    Limits limits = new Limits(1000, 10_000);
    DashboardConfigMaps.Selected selected = new DashboardConfigMaps.Selected(limits);
    List<ConfigMap> all = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ConfigMap cm =
          configMap("team-a", "d%05d".formatted(i), Map.of("d.json", dashboard("u" + i, "T" + i)));
      all.add(cm);
      selected.offer(cm);
    }
    Result bounded = selected.aggregate();
    Result everything = DashboardConfigMaps.aggregate(all, limits, ShippedDashboards.uids());

    assertThat(bounded.files()).isEqualTo(everything.files());
    assertThat(bounded.problems()).hasSizeLessThan(1000);
    assertThat(problems(bounded))
        .first()
        .asString()
        .matches(
            "[0-9]+ more ConfigMap\\(s\\) \\(team-a/d[0-9]+, team-a/d[0-9]+, team-a/d[0-9]+,"
                + " \\.\\.\\.\\): not read: the ones before them already hold [0-9]+ bytes of data,"
                + " more than the 10000 bytes Grafana's dashboards may take; select fewer");
  }
}
