package dev.vigil.api.v1alpha1.logpipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** How to tell where a record starts in a container's log, so continuation lines join it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MultilineRule {
  @JsonPropertyDescription("The containers, by name, this rule applies to. Default: all.")
  @Size(max = 100)
  public List<@Size(max = 63) @Pattern(LogSelection.DNS_LABEL) String> containers;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription(
      "RE2 regular expression matching the first line of a record, e.g."
          + " ^\\d{4}-\\d{2}-\\d{2} for lines starting with a date; every other line is joined to"
          + " the record before it.")
  public String firstLinePattern;
}
