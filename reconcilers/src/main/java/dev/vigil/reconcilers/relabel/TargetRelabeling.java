package dev.vigil.reconcilers.relabel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What Prometheus does to each target a scrape job discovers before it scrapes it, evaluated in the
 * operator: the labels it starts from ({@link ScrapeDefaults} under the discovered ones), the job's
 * {@code relabel_configs} in order, then its checks ({@code scrape/target.go}, {@code
 * PopulateLabels}; {@code model/relabel/relabel.go}, Prometheus 3.16). Every action is evaluated as
 * Prometheus evaluates it: {@code replace}, {@code keep}, {@code drop}, {@code keepequal}, {@code
 * dropequal}, {@code hashmod} (md5, the last 8 bytes big-endian), {@code labelmap}, {@code
 * labeldrop}, {@code labelkeep}, {@code lowercase}, {@code uppercase}, with Go's RE2 regexes,
 * anchored, and Go's {@code $1}/{@code ${name}} expansion ({@link RelabelRegex}). {@code
 * TargetRelabelingAgreementTest} holds this to {@code promtool check service-discovery}, label for
 * label.
 *
 * <p>Two things Vigil cannot know in the operator make a job {@linkplain #unevaluable()
 * unevaluable}: a rule reading {@code __meta_url} (HTTP service discovery's URL, which names the
 * shard, so it differs per shard) and a rule Prometheus would refuse. A target whose outcome
 * Prometheus leaves to chance is {@link RelabelOutcome.Undecided}.
 *
 * <p>A value: equal jobs (same defaults, same rules) are equal, so stacks whose jobs are the same
 * can share the work. Immutable and thread-safe.
 */
public final class TargetRelabeling {
  static final String META_PREFIX = "__meta_";
  static final String META_URL = "__meta_url";
  static final String INSTANCE = "instance";

  /** Prometheus's relabel actions, as it spells them. */
  public static final List<String> ACTIONS =
      List.of(
          "replace",
          "keep",
          "drop",
          "keepequal",
          "dropequal",
          "hashmod",
          "labelmap",
          "labeldrop",
          "labelkeep",
          "lowercase",
          "uppercase");

  private final ScrapeDefaults defaults;
  private final List<Map.Entry<String, String>> defaultLabels;
  private final long defaultIntervalNanos;
  private final long defaultTimeoutNanos;
  private final List<RelabelRule> rules;
  private final List<Step> steps;
  private final String unevaluable;

  public TargetRelabeling(ScrapeDefaults defaults, List<RelabelRule> rules) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.defaultLabels = defaults.labels();
    this.defaultIntervalNanos = PrometheusDuration.nanos(defaults.scrapeInterval());
    this.defaultTimeoutNanos = PrometheusDuration.nanos(defaults.scrapeTimeout());
    this.rules = rules == null ? List.of() : List.copyOf(rules);
    List<Step> compiled = new ArrayList<>();
    String problem = null;
    for (int i = 0; i < this.rules.size() && problem == null; i++) {
      try {
        Step step = Step.of(this.rules.get(i));
        problem = step.readsUrl() ? "relabel_configs[" + i + "] reads " + META_URL : null;
        compiled.add(step);
      } catch (IllegalArgumentException e) {
        problem = "relabel_configs[" + i + "] cannot be evaluated: " + e.getMessage();
      }
    }
    this.steps = List.copyOf(compiled);
    this.unevaluable = problem;
  }

  public ScrapeDefaults defaults() {
    return defaults;
  }

  public List<RelabelRule> rules() {
    return rules;
  }

  /**
   * Why Vigil cannot evaluate this job as Prometheus would (its targets must then all be served and
   * counted as discovered), or empty.
   */
  public Optional<String> unevaluable() {
    return Optional.ofNullable(unevaluable);
  }

  /**
   * What Prometheus makes of the target at {@code address} in a group with {@code groupLabels}.
   *
   * @throws IllegalStateException when the job is {@linkplain #unevaluable() unevaluable}
   */
  public RelabelOutcome apply(Map<String, String> groupLabels, String address) {
    if (unevaluable != null) {
      throw new IllegalStateException(unevaluable);
    }
    // The target's own label (its address) wins over the group's.
    LabelsBuilder labels = new LabelsBuilder(groupLabels);
    labels.set(ScrapeDefaults.ADDRESS, address);
    for (Map.Entry<String, String> label : defaultLabels) {
      if (labels.get(label.getKey()).isEmpty()) {
        labels.set(label.getKey(), label.getValue());
      }
    }
    for (Step step : steps) {
      RelabelOutcome stop = step.apply(labels);
      if (stop != null) {
        return stop;
      }
    }
    return check(labels);
  }

  /** Prometheus's checks after relabeling, then the labels a scraped target carries. */
  private RelabelOutcome check(LabelsBuilder labels) {
    String address = labels.get(ScrapeDefaults.ADDRESS);
    if (address.isEmpty()) {
      return new RelabelOutcome.Failed("no address");
    }
    if (address.contains("/")) {
      return new RelabelOutcome.Failed("\"" + address + "\" is not a valid hostname");
    }
    long interval =
        nanos(
            labels.get(ScrapeDefaults.SCRAPE_INTERVAL),
            defaults.scrapeInterval(),
            defaultIntervalNanos);
    if (interval < 0) {
      return new RelabelOutcome.Failed("error parsing scrape interval");
    }
    if (interval == 0) {
      return new RelabelOutcome.Failed("scrape interval cannot be 0");
    }
    long timeout =
        nanos(
            labels.get(ScrapeDefaults.SCRAPE_TIMEOUT),
            defaults.scrapeTimeout(),
            defaultTimeoutNanos);
    if (timeout < 0) {
      return new RelabelOutcome.Failed("error parsing scrape timeout");
    }
    if (timeout == 0) {
      return new RelabelOutcome.Failed("scrape timeout cannot be 0");
    }
    if (timeout > interval) {
      return new RelabelOutcome.Failed("scrape timeout cannot be greater than scrape interval");
    }
    for (String name :
        List.of(
            ScrapeDefaults.CONVERT_CLASSIC_HISTOGRAMS_TO_NHCB,
            ScrapeDefaults.ALWAYS_SCRAPE_CLASSIC_HISTOGRAMS,
            ScrapeDefaults.SCRAPE_NATIVE_HISTOGRAMS)) {
      String value = labels.get(name);
      if (!value.isEmpty() && !isGoBool(value)) {
        return new RelabelOutcome.Failed("error parsing " + name);
      }
    }
    SortedMap<String, String> kept = new TreeMap<>();
    labels.forEach(
        (name, value) -> {
          if (!name.startsWith(META_PREFIX)) {
            kept.put(name, value);
          }
        });
    kept.putIfAbsent(INSTANCE, address);
    for (Map.Entry<String, String> label : kept.entrySet()) {
      if (!isValidUtf8(label.getValue())) {
        return new RelabelOutcome.Failed("invalid label value for \"" + label.getKey() + "\"");
      }
    }
    return new RelabelOutcome.Kept(kept);
  }

  /** A duration label's value in nanoseconds, the job's own parsed once. */
  private static long nanos(String value, String jobs, long jobsNanos) {
    return value.equals(jobs) ? jobsNanos : PrometheusDuration.nanos(value);
  }

  /** Go's {@code strconv.ParseBool}. */
  private static boolean isGoBool(String value) {
    return switch (value) {
      case "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False" -> true;
      default -> false;
    };
  }

  /** A Java string is valid UTF-8 unless it holds a lone surrogate. */
  static boolean isValidUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TargetRelabeling other
        && defaults.equals(other.defaults)
        && rules.equals(other.rules);
  }

  @Override
  public int hashCode() {
    return 31 * defaults.hashCode() + rules.hashCode();
  }

  @Override
  public String toString() {
    return "TargetRelabeling[" + defaults.jobName() + ", " + rules.size() + " rules]";
  }

  /** One rule, read as Prometheus reads it from the file Vigil writes, and compiled. */
  private record Step(
      String action,
      List<String> sources,
      String separator,
      RelabelRegex regex,
      long modulus,
      String target,
      String replacement) {

    static Step of(RelabelRule rule) {
      String action = rule.action() == null ? "replace" : rule.action().toLowerCase(Locale.ROOT);
      if (!ACTIONS.contains(action)) {
        throw new IllegalArgumentException("unknown action " + rule.action());
      }
      long modulus = rule.modulus() == null ? 0 : rule.modulus();
      if (action.equals("hashmod") && modulus == 0) {
        throw new IllegalArgumentException("hashmod needs a modulus");
      }
      return new Step(
          action,
          rule.sourceLabels() == null ? List.of() : List.copyOf(rule.sourceLabels()),
          rule.separator() == null ? ";" : rule.separator(),
          RelabelRegex.compile(rule.regex() == null ? RelabelRegex.DEFAULT : rule.regex()),
          modulus,
          rule.targetLabel() == null ? "" : rule.targetLabel(),
          rule.replacement() == null ? "$1" : rule.replacement());
    }

    /** Whether the rule can see HTTP SD's {@code __meta_url}, whose value names the shard. */
    boolean readsUrl() {
      return sources.contains(META_URL)
          || ((action.equals("keepequal") || action.equals("dropequal")) && target.equals(META_URL))
          || (action.equals("labelmap") && regex.matches(META_URL));
    }

    /** Applies the rule; a non-null result ends the target's relabeling. */
    RelabelOutcome apply(LabelsBuilder labels) {
      String value = sourceValue(labels);
      switch (action) {
        case "drop" -> {
          return regex.matches(value) ? DROPPED : null;
        }
        case "keep" -> {
          return regex.matches(value) ? null : DROPPED;
        }
        case "dropequal" -> {
          return labels.get(target).equals(value) ? DROPPED : null;
        }
        case "keepequal" -> {
          return labels.get(target).equals(value) ? null : DROPPED;
        }
        case "replace" -> replace(labels, value);
        case "lowercase" -> labels.set(target, mapCodePoints(value, true));
        case "uppercase" -> labels.set(target, mapCodePoints(value, false));
        case "hashmod" -> labels.set(target, Long.toUnsignedString(hashmod(value)));
        case "labelmap" -> {
          return labelmap(labels);
        }
        case "labeldrop", "labelkeep" -> {
          boolean drop = action.equals("labeldrop");
          for (Map.Entry<String, String> label : labels.labels()) {
            if (regex.matches(label.getKey()) == drop) {
              labels.delete(label.getKey());
            }
          }
        }
        default -> throw new IllegalStateException(action);
      }
      return null;
    }

    private String sourceValue(LabelsBuilder labels) {
      if (sources.isEmpty()) {
        return "";
      }
      if (sources.size() == 1) {
        return labels.get(sources.get(0));
      }
      StringBuilder value = new StringBuilder();
      for (int i = 0; i < sources.size(); i++) {
        if (i > 0) {
          value.append(separator);
        }
        value.append(labels.get(sources.get(i)));
      }
      return value.toString();
    }

    private void replace(LabelsBuilder labels, String value) {
      String[] groups = regex.submatches(value);
      if (groups == null) {
        return;
      }
      String name = regex.expand(target, groups);
      if (name.isEmpty() || !isValidUtf8(name)) {
        return;
      }
      labels.set(name, regex.expand(replacement, groups));
    }

    /**
     * Every label whose name matches is copied to the expanded replacement, reading the values as
     * they were before the rule. Two different values written to one name leave the result to the
     * order Prometheus iterates a Go map in.
     */
    private RelabelOutcome labelmap(LabelsBuilder labels) {
      Map<String, String> written = new HashMap<>();
      for (Map.Entry<String, String> label : labels.labels()) {
        String[] groups = regex.submatches(label.getKey());
        if (groups == null) {
          continue;
        }
        String name = regex.expand(replacement, groups);
        String before = written.put(name, label.getValue());
        if (before != null && !before.equals(label.getValue())) {
          return new RelabelOutcome.Undecided(
              "labelmap writes two values to label \"" + name + "\"");
        }
        labels.set(name, label.getValue());
      }
      return null;
    }

    /** md5 of the value, its last 8 bytes as a big-endian unsigned number, modulo the modulus. */
    private long hashmod(String value) {
      byte[] md5;
      try {
        md5 = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has MD5", e);
      }
      long last8 = 0;
      for (int i = 8; i < 16; i++) {
        last8 = (last8 << 8) | (md5[i] & 0xff);
      }
      return Long.remainderUnsigned(last8, modulus);
    }

    /** Go's {@code strings.ToLower}/{@code ToUpper}: each code point's simple case mapping. */
    private static String mapCodePoints(String value, boolean lower) {
      StringBuilder out = new StringBuilder(value.length());
      value
          .codePoints()
          .forEach(
              cp ->
                  out.appendCodePoint(
                      lower ? Character.toLowerCase(cp) : Character.toUpperCase(cp)));
      return out.toString();
    }
  }

  private static final RelabelOutcome DROPPED = new RelabelOutcome.Dropped();
}
