package dev.vigil.reconcilers.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dashboards Vigil ships, from {@code src/main/resources/dashboards/}: node overview
 * (node-exporter), Kubernetes workloads (kube-state-metrics), request rate / errors / duration of
 * the targets exposing {@code http_requests_total} and {@code http_request_duration_seconds}, and
 * Vigil's own health (JOSDK and JVM metrics of the operator's {@code /metrics}). Each selects its
 * Prometheus data source with a {@code datasource} variable, so it works with any stack's UID.
 *
 * <p>Read once from the classpath; the map is immutable.
 */
public final class ShippedDashboards {
  /** The file names, which are also the keys of {@link #all()}. */
  static final List<String> FILES =
      List.of(
          "vigil-kubernetes-workloads.json",
          "vigil-node-overview.json",
          "vigil-operator-health.json",
          "vigil-service-red.json");

  private static final SortedMap<String, String> ALL = load();
  private static final Set<String> UIDS = uids(ALL);

  private ShippedDashboards() {}

  /** File name → dashboard JSON, sorted by file name. */
  public static SortedMap<String, String> all() {
    return ALL;
  }

  /** The dashboards' UIDs; a ConfigMap dashboard may not take one of them. */
  public static Set<String> uids() {
    return UIDS;
  }

  private static SortedMap<String, String> load() {
    SortedMap<String, String> files = new TreeMap<>();
    for (String file : FILES) {
      try (InputStream in = ShippedDashboards.class.getResourceAsStream("/dashboards/" + file)) {
        if (in == null) {
          throw new IllegalStateException("dashboards/" + file + " is missing from the classpath");
        }
        files.put(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read dashboards/" + file, e);
      }
    }
    return Collections.unmodifiableSortedMap(files);
  }

  private static Set<String> uids(SortedMap<String, String> files) {
    ObjectMapper json = new ObjectMapper();
    Set<String> uids = new TreeSet<>();
    files.forEach(
        (file, text) -> {
          try {
            JsonNode uid = json.readTree(text).path("uid");
            uids.add(uid.asText());
          } catch (IOException e) {
            throw new UncheckedIOException("dashboards/" + file + " is not valid JSON", e);
          }
        });
    return Collections.unmodifiableSet(uids);
  }
}
