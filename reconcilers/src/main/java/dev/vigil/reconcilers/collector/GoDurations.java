package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.common.Patterns;
import java.util.regex.Pattern;

/** Durations as Go's {@code time.ParseDuration} reads them, which the collector and Jaeger use. */
public final class GoDurations {
  private static final Pattern GO_DURATION = Pattern.compile(Patterns.GO_DURATION);

  private GoDurations() {}

  /** Whether {@code value} is a positive Go duration ({@code 200ms}, {@code 1h30m}). */
  public static boolean isPositive(String value) {
    return value != null
        && GO_DURATION.matcher(value).matches()
        && value.chars().anyMatch(c -> c >= '1' && c <= '9');
  }
}
