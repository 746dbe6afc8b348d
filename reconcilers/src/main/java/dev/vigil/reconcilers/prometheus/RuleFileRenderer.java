package dev.vigil.reconcilers.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.reconcilers.rules.RuleFile;
import dev.vigil.reconcilers.yaml.ConfigYaml;

/** Writes a {@link RuleFile} as YAML Prometheus loads; same model, same bytes. */
public final class RuleFileRenderer {
  private RuleFileRenderer() {}

  public static String render(RuleFile file) {
    try {
      return ConfigYaml.MAPPER.writeValueAsString(file);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a rule file", e);
    }
  }
}
