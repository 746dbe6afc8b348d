package dev.vigil.reconcilers.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.reconcilers.yaml.ConfigYaml;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link PrometheusConfig} as {@code prometheus.yml}: snake_case keys in the records'
 * declaration order, map entries in their (sorted) order, no document marker, no null, empty list
 * or empty map, and quotes around every string a YAML reader could take for something else. Same
 * model, same bytes.
 */
public final class PrometheusConfigRenderer {
  private static final ObjectMapper YAML = ConfigYaml.MAPPER;

  private PrometheusConfigRenderer() {}

  /** The configuration file, UTF-8. */
  public static byte[] render(PrometheusConfig config) {
    return renderString(config).getBytes(StandardCharsets.UTF_8);
  }

  /** The configuration file as text. */
  public static String renderString(PrometheusConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      // Records of strings, numbers, lists and maps always serialize.
      throw new IllegalStateException("cannot write prometheus.yml", e);
    }
  }

  /** The model as the tree the file is written from; for tests that read the file back. */
  static JsonNode tree(PrometheusConfig config) {
    return YAML.valueToTree(config);
  }
}
