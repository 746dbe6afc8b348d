package dev.vigil.reconcilers.collector;

import dev.vigil.api.v1alpha1.common.Patterns;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Go's {@code time.ParseDuration} reads them, which the collector and Jaeger use. */
public final class GoDurations {
  private static final Pattern GO_DURATION = Pattern.compile(Patterns.GO_DURATION);
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

  private GoDurations() {}

  /** Whether {@code value} is a positive Go duration ({@code 200ms}, {@code 1h30m}). */
  public static boolean isPositive(String value) {
    return value != null
        && GO_DURATION.matcher(value).matches()
        && value.chars().anyMatch(c -> c >= '1' && c <= '9');
  }

  /** {@code value} as a duration ({@code 1m30s}, {@code 2.5ms}); null when it is no Go duration. */
  public static Duration parse(String value) {
    if (value == null || !GO_DURATION.matcher(value).matches()) {
      return null;
    }
    Matcher part = PART.matcher(value);
    long nanos = 0;
    while (part.find()) {
      long unit =
          switch (part.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos += (long) (Double.parseDouble(part.group(1)) * unit);
    }
    return Duration.ofNanos(nanos);
  }
}
