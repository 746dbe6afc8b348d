package dev.vigil.reconcilers.relabel;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The labels Prometheus gives every discovered target of a scrape job before relabeling, each only
 * where discovery did not set it ({@code scrape/target.go}, {@code PopulateDiscoveredLabels}):
 * {@code job}, {@code __scrape_interval__}, {@code __scrape_timeout__}, {@code __metrics_path__},
 * {@code __scheme__}, the three histogram switches, and {@code __param_<name>} (the first value)
 * per query parameter. Values are as Prometheus prints them: durations normalised ({@code 60s} is
 * {@code 1m}), switches {@code true}/{@code false}.
 *
 * @param scrapeInterval the job's interval, or the global one
 * @param scrapeTimeout the job's timeout, or the smaller of the global timeout and the interval
 * @param params the job's {@code params}
 */
public record ScrapeDefaults(
    String jobName,
    String scrapeInterval,
    String scrapeTimeout,
    String metricsPath,
    String scheme,
    boolean convertClassicHistogramsToNhcb,
    boolean alwaysScrapeClassicHistograms,
    boolean scrapeNativeHistograms,
    SortedMap<String, String> params) {

  public static final String JOB = "job";
  public static final String ADDRESS = "__address__";
  public static final String SCRAPE_INTERVAL = "__scrape_interval__";
  public static final String SCRAPE_TIMEOUT = "__scrape_timeout__";
  public static final String METRICS_PATH = "__metrics_path__";
  public static final String SCHEME = "__scheme__";
  public static final String CONVERT_CLASSIC_HISTOGRAMS_TO_NHCB =
      "__convert_classic_histograms_to_nhcb__";
  public static final String ALWAYS_SCRAPE_CLASSIC_HISTOGRAMS =
      "__always_scrape_classic_histograms__";
  public static final String SCRAPE_NATIVE_HISTOGRAMS = "__scrape_native_histograms__";
  public static final String PARAM_PREFIX = "__param_";

  public ScrapeDefaults {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(scrapeInterval, "scrapeInterval");
    Objects.requireNonNull(scrapeTimeout, "scrapeTimeout");
    Objects.requireNonNull(metricsPath, "metricsPath");
    Objects.requireNonNull(scheme, "scheme");
    params = params == null ? new TreeMap<>() : new TreeMap<>(params);
  }

  /** The first value of each parameter that has one, as Prometheus takes it. */
  public static SortedMap<String, String> firstValues(Map<String, List<String>> params) {
    SortedMap<String, String> first = new TreeMap<>();
    if (params != null) {
      params.forEach(
          (name, values) -> {
            if (values != null && !values.isEmpty()) {
              first.put(name, values.get(0));
            }
          });
    }
    return first;
  }

  /** The labels in the order Prometheus adds them. */
  List<Map.Entry<String, String>> labels() {
    List<Map.Entry<String, String>> labels =
        new java.util.ArrayList<>(
            List.of(
                Map.entry(JOB, jobName),
                Map.entry(SCRAPE_INTERVAL, scrapeInterval),
                Map.entry(SCRAPE_TIMEOUT, scrapeTimeout),
                Map.entry(METRICS_PATH, metricsPath),
                Map.entry(SCHEME, scheme),
                Map.entry(
                    CONVERT_CLASSIC_HISTOGRAMS_TO_NHCB,
                    Boolean.toString(convertClassicHistogramsToNhcb)),
                Map.entry(
                    ALWAYS_SCRAPE_CLASSIC_HISTOGRAMS,
                    Boolean.toString(alwaysScrapeClassicHistograms)),
                Map.entry(SCRAPE_NATIVE_HISTOGRAMS, Boolean.toString(scrapeNativeHistograms))));
    params.forEach((name, value) -> labels.add(Map.entry(PARAM_PREFIX + name, value)));
    return List.copyOf(labels);
  }
}
