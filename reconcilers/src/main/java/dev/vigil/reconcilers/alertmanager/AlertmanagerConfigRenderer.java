package dev.vigil.reconcilers.alertmanager;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes an {@link AlertmanagerConfig} as {@code alertmanager.yml}: snake_case keys in the records'
 * declaration order, map entries in their (sorted) order, no document marker, no null, empty list
 * or empty map, and quotes around every string a YAML reader could take for something else. Same
 * model, same bytes.
 *
 * <p>The YAML settings are those of {@code PrometheusConfigRenderer}: Alertmanager reads its file
 * with the same go-yaml library.
 */
public final class AlertmanagerConfigRenderer {
  private static final ObjectMapper YAML = mapper();

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

  private static ObjectMapper mapper() {
    YAMLFactory factory =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .stringQuotingChecker(new Yaml11Quoting())
            .build();
    ObjectMapper mapper =
        new ObjectMapper(factory)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // An explicit empty string (a matcher value, a header) means something.
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    JsonInclude.Value nonEmpty =
        JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS);
    mapper.configOverride(List.class).setInclude(nonEmpty);
    mapper.configOverride(Map.class).setInclude(nonEmpty);
    return mapper;
  }

  /**
   * Jackson's checker quotes what YAML 1.2 reads as booleans, null or plain decimals; this one also
   * quotes what YAML 1.1 readers (go-yaml, which Alertmanager uses) resolve to other types:
   * hexadecimal, octal, binary, underscored and sexagesimal numbers, exponents, infinities, NaN,
   * timestamps and the merge key. (The same rules as {@code PrometheusConfigRenderer}'s.)
   */
  static final class Yaml11Quoting extends StringQuotingChecker.Default {
    private static final Pattern NON_STRING =
        Pattern.compile(
            String.join(
                "|",
                "[-+]?0b[01_]+",
                "[-+]?0o?[0-7_]+",
                "[-+]?0x[0-9a-fA-F_]+",
                "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?",
                "[-+]?\\.[0-9][0-9_]*([eE][-+]?[0-9]+)?",
                "[-+]?\\.(inf|Inf|INF)",
                "\\.(nan|NaN|NAN)",
                "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?",
                "<<",
                "="));

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || NON_STRING.matcher(value).matches();
    }
  }
}
