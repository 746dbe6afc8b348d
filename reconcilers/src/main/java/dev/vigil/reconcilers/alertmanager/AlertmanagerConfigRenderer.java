package dev.vigil.reconcilers.alertmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.reconcilers.yaml.ConfigYaml;
import java.nio.charset.StandardCharsets;

/**
 * Writes an {@link AlertmanagerConfig} as {@code alertmanager.yml}: snake_case keys in the records'
 * declaration order, map entries in their (sorted) order, no document marker, no null, empty list
 * or empty map, and quotes around every string a YAML reader could take for something else. Same
 * model, same bytes.
 *
 * <p>The writer is {@link ConfigYaml}'s: Alertmanager reads its file with the same go-yaml library
 * as Prometheus, so the same quoting keeps every value the type it has in the model.
 */
public final class AlertmanagerConfigRenderer {
  private static final ObjectMapper YAML = ConfigYaml.MAPPER;

  private AlertmanagerConfigRenderer() {}

  /** The configuration file, UTF-8. */
  public static byte[] render(AlertmanagerConfig config) {
    return renderString(config).getBytes(StandardCharsets.UTF_8);
  }

  /** The configuration file as text. */
  public static String renderString(AlertmanagerConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      // Records of strings, numbers, lists and maps always serialize.
      throw new IllegalStateException("cannot write alertmanager.yml", e);
    }
  }

  /** The model as the tree the file is written from; for tests that read the file back. */
  static JsonNode tree(AlertmanagerConfig config) {
    return YAML.valueToTree(config);
  }
}
