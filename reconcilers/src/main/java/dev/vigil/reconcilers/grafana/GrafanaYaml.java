package dev.vigil.reconcilers.grafana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.vigil.reconcilers.yaml.ConfigYaml;

/**
 * The YAML writer of Grafana's provisioning files: {@link ConfigYaml}'s writer (records'
 * declaration order, no null, empty list or empty map, YAML 1.1 quoting) with Grafana's camelCase
 * keys ({@code apiVersion}, {@code isDefault}, {@code jsonData}) instead of snake_case. Grafana
 * reads these files with go-yaml, like Prometheus, so the same quoting keeps every value's type.
 */
final class GrafanaYaml {
  static final ObjectMapper MAPPER =
      ConfigYaml.MAPPER.copy().setPropertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE);

  private GrafanaYaml() {}

  static String write(Object model, String what) {
    try {
      return MAPPER.writeValueAsString(model);
    } catch (JsonProcessingException e) {
      // Records of strings, numbers, booleans and lists always serialize.
      throw new IllegalStateException("cannot write " + what, e);
    }
  }
}
