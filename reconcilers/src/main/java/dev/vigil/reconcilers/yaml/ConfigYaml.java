package dev.vigil.reconcilers.yaml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The YAML writer of every file Prometheus reads that Vigil renders ({@code prometheus.yml}, rule
 * files): snake_case keys in the records' declaration order, map entries in their (sorted) order,
 * no document marker, no null, empty list or empty map, and quotes around every string a YAML
 * reader could take for something else. Same model, same bytes.
 */
public final class ConfigYaml {
  public static final ObjectMapper MAPPER = mapper();

  private ConfigYaml() {}

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
            // An explicit empty string (a relabel replacement, a separator) means something.
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
   * quotes what YAML 1.1 readers (go-yaml v2, which Prometheus uses, and SnakeYAML) resolve to
   * other types: hexadecimal, octal, binary, underscored and sexagesimal numbers, exponents,
   * infinities, NaN, timestamps and the merge key.
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
