package dev.vigil.reconcilers.jaeger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.reconcilers.yaml.ConfigYaml;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link JaegerConfig} as Jaeger's {@code config.yaml}: snake_case keys in the records'
 * declaration order, map entries (component ids, headers) in their sorted order, no document
 * marker, no null, empty list or empty map, and quotes around every string a YAML reader could take
 * for something else. Same model, same bytes.
 *
 * <p>The writer is {@link ConfigYaml}'s. Its snake_case naming applies to record components only,
 * so component ids such as {@code otlp_grpc/vendor}, which are map keys, are written as they are;
 * its YAML 1.1 quoting is harmless to the collector's YAML 1.2 reader.
 */
public final class JaegerConfigRenderer {
  private static final ObjectMapper YAML = ConfigYaml.MAPPER;

  private JaegerConfigRenderer() {}

  /** The configuration file, UTF-8. */
  public static byte[] render(JaegerConfig config) {
    return renderString(config).getBytes(StandardCharsets.UTF_8);
  }

  /** The configuration file as text. */
  public static String renderString(JaegerConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      // Records of strings, numbers, lists and maps always serialize.
      throw new IllegalStateException("cannot write the jaeger configuration", e);
    }
  }

  /** The model as the tree the file is written from; for tests that read the file back. */
  static JsonNode tree(JaegerConfig config) {
    return YAML.valueToTree(config);
  }
}
