package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * One Prometheus relabeling step, spelled as prometheus-operator's RelabelConfig. Relabeling runs
 * inside Prometheus, on the same {@code __meta_kubernetes_*} labels Prometheus's own Kubernetes
 * discovery would attach.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.action) && !(self.action.lowerAscii() in ['replace', 'hashmod', 'lowercase',"
            + " 'uppercase', 'keepequal', 'dropequal'])) || has(self.targetLabel)",
    message =
        "relabeling: targetLabel is required for the actions replace (the default), hashmod,"
            + " lowercase, uppercase, keepequal and dropequal")
@ValidationRule(
    value = "!has(self.action) || self.action.lowerAscii() != 'hashmod' || has(self.modulus)",
    message = "relabeling: action hashmod needs modulus")
public class RelabelConfig {
  @JsonPropertyDescription("Labels whose values are joined with separator and matched by regex.")
  @Size(max = 64)
  public List<@Size(max = 256) String> sourceLabels;

  @JsonPropertyDescription("Separator between the joined source label values. Default: ;")
  public String separator;

  @JsonPropertyDescription("Label the result is written to (replace, hashmod, case actions).")
  @Size(max = 256)
  public String targetLabel;

  @JsonPropertyDescription("Regular expression matched against the joined values. Default: (.*)")
  public String regex;

  @JsonPropertyDescription("Modulus for the hashmod action.")
  @Min(1)
  public Long modulus;

  @JsonPropertyDescription(
      "Replacement for the replace action; may refer to groups ($1). Default: $1")
  public String replacement;

  @JsonPropertyDescription(
      "The action: replace (default), keep, drop, hashmod, labelmap, labeldrop,"
          + " labelkeep, lowercase, uppercase, keepequal, dropequal; either case.")
  @Size(max = 16)
  public Action action;

  /** Relabel actions, in both spellings prometheus-operator accepts. */
  public enum Action {
    replace,
    Replace,
    keep,
    Keep,
    drop,
    Drop,
    hashmod,
    HashMod,
    labelmap,
    LabelMap,
    labeldrop,
    LabelDrop,
    labelkeep,
    LabelKeep,
    lowercase,
    Lowercase,
    uppercase,
    Uppercase,
    keepequal,
    KeepEqual,
    dropequal,
    DropEqual;

    /** The action as Prometheus's configuration spells it (lower case). */
    public String prometheusName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
