package dev.vigil.reconcilers.grafana;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Gathers the dashboards of the ConfigMaps labelled {@value #LABEL}{@code : "true"} that a stack
 * selects into one set of files for Grafana's file provider. Pure and deterministic: ConfigMaps are
 * read sorted by namespace/name and their keys sorted, whatever order they come in.
 *
 * <p>Every {@code data} key ending in {@code .json} is a dashboard, written as file {@code
 * <namespace>_<configmap>_<key>}. A dashboard is left out, with a problem naming {@code
 * <namespace>/<configmap> key <key>}, when it is not valid JSON (duplicate keys included), is not a
 * JSON object, lacks a {@code title} or a {@code uid} Grafana accepts (1 to 40 of {@code
 * [a-zA-Z0-9_-]}), takes the uid of a dashboard Vigil ships or of one read before it, is larger
 * than {@link Limits#maxDashboardBytes()}, or would bring the total past {@link
 * Limits#maxTotalBytes()}. The others load.
 *
 * <p>Each dashboard is written back compactly without its {@code id}: Grafana assigns ids, and a
 * provisioned dashboard that carries another instance's id can overwrite an unrelated one.
 */
public final class DashboardConfigMaps {
  /** The label that marks a ConfigMap as holding dashboards. */
  public static final String LABEL = "monitoring.vigil.dev/dashboard";

  /** The longest key a ConfigMap accepts, which the file names must fit when stored in one. */
  static final int MAX_FILE_NAME = 253;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private DashboardConfigMaps() {}

  /**
   * How much Grafana is given.
   *
   * @param maxDashboardBytes the largest dashboard (UTF-8 bytes as written in the ConfigMap)
   * @param maxTotalBytes the most all loaded dashboards (as written out, with their file names) may
   *     add up to
   */
  public record Limits(int maxDashboardBytes, long maxTotalBytes) {
    /**
     * 1 MiB per dashboard, which is all a ConfigMap can hold anyway, and 1,000,000 bytes in total,
     * file names included, so the files fit in the one ConfigMap (at most 1 MiB, keys included)
     * mounted into Grafana.
     */
    public static final Limits DEFAULT = new Limits(1024 * 1024, 1_000_000);
  }

  /**
   * @param files file name → dashboard JSON, sorted by file name
   * @param problems the dashboards left out, and why, in reading order
   */
  public record Result(SortedMap<String, String> files, List<ProvisioningProblem> problems) {
    public Result {
      files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
      problems = List.copyOf(problems);
    }

    /** How many dashboards load. */
    public int count() {
      return files.size();
    }

    /** Total size of the files, in UTF-8 bytes. */
    public long bytes() {
      return files.values().stream()
          .mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length)
          .sum();
    }
  }

  /**
   * Takes the ConfigMaps a stack selects as they are listed, a page at a time, and holds at most
   * {@link #HELD_BYTES_PER_TOTAL} times {@link Limits#maxTotalBytes()} of their data: more than
   * could ever load. Past that a ConfigMap is counted and named in one problem, not held, so ten
   * thousand labelled ConfigMaps cost the operator one page of memory, not all of them. ConfigMaps
   * must be offered in namespace/name order, as the API server lists them, so the same ones are
   * kept every time.
   */
  public static final class Selected {
    /** How many names of unread ConfigMaps the problem lists. */
    static final int NAMED = 3;

    private final Limits limits;
    private final List<ConfigMap> held = new ArrayList<>();
    private final List<String> unread = new ArrayList<>();
    private long heldBytes;
    private int unreadCount;

    public Selected() {
      this(Limits.DEFAULT);
    }

    Selected(Limits limits) {
      this.limits = limits;
    }

    /** Holds the ConfigMap for {@link #aggregate}, or counts it as unread when over budget. */
    public void offer(ConfigMap configMap) {
      long size = dataBytes(configMap);
      if (heldBytes + size > HELD_BYTES_PER_TOTAL * limits.maxTotalBytes()) {
        if (unread.size() < NAMED) {
          unread.add(
              configMap.getMetadata().getNamespace() + "/" + configMap.getMetadata().getName());
        }
        unreadCount++;
        return;
      }
      heldBytes += size;
      held.add(configMap);
    }

    /**
     * A problem for what was not held, then {@link DashboardConfigMaps#aggregate(List)} of the
     * rest.
     */
    public Result aggregate() {
      Result result = DashboardConfigMaps.aggregate(held, limits, ShippedDashboards.uids());
      if (unreadCount == 0) {
        return result;
      }
      // First: with thousands of problems, a condition lists only the first few.
      List<ProvisioningProblem> problems = new ArrayList<>();
      problems.add(
          new ProvisioningProblem(
              unreadCount
                  + " more ConfigMap(s) ("
                  + String.join(", ", unread)
                  + (unreadCount > unread.size() ? ", ..." : "")
                  + ")",
              "not read: the ones before them already hold "
                  + heldBytes
                  + " bytes of data, more than the "
                  + limits.maxTotalBytes()
                  + " bytes Grafana's dashboards may take; select fewer"));
      problems.addAll(result.problems());
      return new Result(result.files(), problems);
    }

    private static long dataBytes(ConfigMap configMap) {
      long size = 0;
      if (configMap.getData() != null) {
        for (Map.Entry<String, String> entry : configMap.getData().entrySet()) {
          size +=
              entry.getKey().length() + (entry.getValue() == null ? 0 : entry.getValue().length());
        }
      }
      if (configMap.getBinaryData() != null) {
        for (Map.Entry<String, String> entry : configMap.getBinaryData().entrySet()) {
          size +=
              entry.getKey().length() + (entry.getValue() == null ? 0 : entry.getValue().length());
        }
      }
      return size;
    }
  }

  /** How many times the total limit {@link Selected} holds of the ConfigMaps' data. */
  static final int HELD_BYTES_PER_TOTAL = 2;

  /** The dashboards of these ConfigMaps under {@link Limits#DEFAULT}, beside the shipped ones. */
  public static Result aggregate(List<ConfigMap> configMaps) {
    return aggregate(configMaps, Limits.DEFAULT, ShippedDashboards.uids());
  }

  /**
   * @param configMaps the ConfigMaps the stack selects, in any order
   * @param limits the size limits
   * @param reservedUids uids already taken (the shipped dashboards')
   */
  public static Result aggregate(
      List<ConfigMap> configMaps, Limits limits, Set<String> reservedUids) {
    SortedMap<String, String> files = new TreeMap<>();
    List<ProvisioningProblem> problems = new ArrayList<>();
    Map<String, String> uidOwners = new HashMap<>();
    long total = 0;
    List<ConfigMap> sorted =
        configMaps.stream()
            .sorted(
                Comparator.comparing((ConfigMap c) -> c.getMetadata().getNamespace())
                    .thenComparing(c -> c.getMetadata().getName()))
            .toList();
    for (ConfigMap cm : sorted) {
      String source = cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName();
      if (cm.getBinaryData() != null) {
        for (String key : new TreeSet<>(cm.getBinaryData().keySet())) {
          if (key.endsWith(".json")) {
            problems.add(
                new ProvisioningProblem(
                    source + " key " + key,
                    "dashboards are read from data, not binaryData; left out"));
          }
        }
      }
      Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
      for (String key : new TreeSet<>(data.keySet())) {
        if (!key.endsWith(".json")) {
          continue;
        }
        String subject = source + " key " + key;
        String text = data.get(key) == null ? "" : data.get(key);
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > limits.maxDashboardBytes()) {
          problems.add(
              new ProvisioningProblem(
                  subject,
                  "dashboard is "
                      + size
                      + " bytes, more than the limit of "
                      + limits.maxDashboardBytes()
                      + "; left out"));
          continue;
        }
        String file =
            cm.getMetadata().getNamespace() + "_" + cm.getMetadata().getName() + "_" + key;
        if (file.length() > MAX_FILE_NAME) {
          problems.add(
              new ProvisioningProblem(
                  subject,
                  "file name "
                      + file
                      + " is longer than "
                      + MAX_FILE_NAME
                      + " characters; shorten the ConfigMap name or key"));
          continue;
        }
        JsonNode tree;
        try {
          tree = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          problems.add(
              new ProvisioningProblem(
                  subject, "not valid JSON: " + e.getOriginalMessage() + location(e)));
          continue;
        }
        if (!(tree instanceof ObjectNode dashboard)) {
          problems.add(new ProvisioningProblem(subject, "a dashboard must be a JSON object"));
          continue;
        }
        JsonNode title = dashboard.get("title");
        if (title == null || !title.isTextual() || title.asText().isBlank()) {
          problems.add(new ProvisioningProblem(subject, "dashboard has no title"));
          continue;
        }
        JsonNode uidNode = dashboard.get("uid");
        if (uidNode == null || !uidNode.isTextual() || uidNode.asText().isEmpty()) {
          problems.add(
              new ProvisioningProblem(
                  subject, "dashboard has no uid; set one so links and provisioning are stable"));
          continue;
        }
        String uid = uidNode.asText();
        if (!GrafanaUids.valid(uid)) {
          problems.add(
              new ProvisioningProblem(
                  subject,
                  "uid \""
                      + uid
                      + "\" is not 1 to "
                      + GrafanaUids.MAX_LENGTH
                      + " letters, digits, - or _"));
          continue;
        }
        if (reservedUids.contains(uid)) {
          problems.add(
              new ProvisioningProblem(
                  subject, "uid " + uid + " is taken by a dashboard Vigil ships; left out"));
          continue;
        }
        String owner = uidOwners.get(uid);
        if (owner != null) {
          problems.add(
              new ProvisioningProblem(
                  subject, "uid " + uid + " is already used by " + owner + "; left out"));
          continue;
        }
        dashboard.remove("id");
        String written = dashboard.toString();
        // The file name is a key of the ConfigMap Grafana mounts: it counts towards its 1 MiB.
        long writtenSize =
            written.getBytes(StandardCharsets.UTF_8).length
                + file.getBytes(StandardCharsets.UTF_8).length;
        if (total + writtenSize > limits.maxTotalBytes()) {
          problems.add(
              new ProvisioningProblem(
                  subject,
                  "the dashboards read before it already take "
                      + total
                      + " of "
                      + limits.maxTotalBytes()
                      + " bytes; this one ("
                      + writtenSize
                      + " bytes) is left out"));
          continue;
        }
        total += writtenSize;
        uidOwners.put(uid, subject);
        files.put(file, written);
      }
    }
    return new Result(files, problems);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
