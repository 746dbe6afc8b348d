package dev.vigil.reconcilers.monitoringstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.reconcilers.rules.RuleFile;

/** Writes a {@link RuleFile} as YAML Prometheus loads; same model, same bytes. */
public final class RuleFileRenderer {
  private RuleFileRenderer() {}

  public static String render(RuleFile file) {
    try {
      return PrometheusYaml.MAPPER.writeValueAsString(file);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a rule file", e);
    }
  }
}
