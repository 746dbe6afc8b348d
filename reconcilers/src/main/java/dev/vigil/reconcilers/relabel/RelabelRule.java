package dev.vigil.reconcilers.relabel;

import java.util.List;

/**
 * One relabeling step ({@code relabel_configs}, {@code metric_relabel_configs}, {@code
 * write_relabel_configs}, {@code alert_relabel_configs}), as written into a Prometheus
 * configuration: a null field is left out of the file, so Prometheus applies its default ({@code
 * separator: ;}, {@code regex: (.*)}, {@code replacement: $1}, {@code action: replace}); an empty
 * string is written and means itself. {@link TargetRelabeling} reads the fields the same way.
 */
public record RelabelRule(
    List<String> sourceLabels,
    String separator,
    String regex,
    Long modulus,
    String targetLabel,
    String replacement,
    String action) {

  /** {@code target_label} = the source labels' value matched by {@code regex}, as {@code $1}. */
  public static RelabelRule replace(List<String> sourceLabels, String regex, String target) {
    return new RelabelRule(sourceLabels, null, regex, null, target, "$1", null);
  }

  /** {@code target_label} = the value of one source label, when it is not empty. */
  public static RelabelRule copy(String sourceLabel, String target) {
    return new RelabelRule(List.of(sourceLabel), null, null, null, target, null, null);
  }

  /** {@code target_label} = a constant. */
  public static RelabelRule set(String target, String value) {
    return new RelabelRule(null, null, null, null, target, value, null);
  }
}
