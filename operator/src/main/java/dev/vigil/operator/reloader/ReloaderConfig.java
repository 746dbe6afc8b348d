package dev.vigil.operator.reloader;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of {@code vigil-operator reloader}, from flags or else {@code VIGIL_RELOADER_*}
 * environment variables (the flag wins), in the style of the operator's own configuration.
 *
 * @param namespace namespace of the Secret and ConfigMaps
 * @param secret name of the Secret holding the Prometheus configuration
 * @param key key of that Secret to write
 * @param output file the key is written to
 * @param configMaps rule ConfigMaps, sorted; each is mirrored into {@code rulesDir/<name>/}
 * @param rulesDir directory of the rule ConfigMaps' files
 * @param reloadUrl URL to POST after a change (Prometheus's {@code /-/reload})
 * @param reloadTimeout how long one reload is retried before it counts as failed
 * @param once write the files once, without reloading, and exit (init container)
 * @param onceTimeout how long {@code once} waits for the objects to exist
 * @param httpPort port of {@code /healthz}, {@code /readyz} and {@code /metrics}
 * @param logLevel slf4j-simple level
 */
public record ReloaderConfig(
    String namespace,
    String secret,
    String key,
    Path output,
    List<String> configMaps,
    Path rulesDir,
    URI reloadUrl,
    Duration reloadTimeout,
    boolean once,
    Duration onceTimeout,
    int httpPort,
    String logLevel) {

  /** The first argument that selects this mode: {@code vigil-operator reloader ...}. */
  public static final String COMMAND = "reloader";

  private static final String ENV_PREFIX = "VIGIL_RELOADER_";

  /** Every setting: flag name, default, and what it does (printed by --help). */
  static final Map<String, String[]> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put(
        "namespace", new String[] {"", "namespace of the Secret; empty: POD_NAMESPACE (required)"});
    SETTINGS.put("secret", new String[] {"", "name of the config Secret (required)"});
    SETTINGS.put(
        "key",
        new String[] {"prometheus.yml.gz", "key of the Secret to write; a .gz key is unzipped"});
    SETTINGS.put(
        "output",
        new String[] {"/etc/prometheus/config_out/prometheus.yml", "file the key is written to"});
    SETTINGS.put(
        "config-map",
        new String[] {
          "", "rule ConfigMap mirrored into <rules-dir>/<name>/; repeatable (env: comma-separated)"
        });
    SETTINGS.put("rules-dir", new String[] {"/etc/prometheus/rules", "directory of rule files"});
    SETTINGS.put(
        "reload-url",
        new String[] {"http://127.0.0.1:9090/-/reload", "URL POSTed after the files change"});
    SETTINGS.put(
        "reload-timeout", new String[] {"2m", "how long a reload is retried before it fails"});
    SETTINGS.put(
        "once",
        new String[] {"false", "write the files once, do not reload, exit (init container)"});
    SETTINGS.put("once-timeout", new String[] {"5m", "how long --once waits for the Secret"});
    SETTINGS.put("http-port", new String[] {"8081", "port for /healthz, /readyz and /metrics"});
    SETTINGS.put("log-level", new String[] {"info", "trace, debug, info, warn or error"});
  }

  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  /** Reads flags first, then {@code VIGIL_RELOADER_*} variables, then defaults. */
  public static ReloaderConfig from(List<String> args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    SETTINGS.forEach((name, spec) -> values.put(name, spec[0]));
    SETTINGS.keySet().stream()
        .filter(name -> env.containsKey(variable(name)))
        .forEach(name -> values.put(name, env.get(variable(name))));
    List<String> configMapFlags = new ArrayList<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      if (!SETTINGS.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown flag --" + name + "; known: " + String.join(", ", SETTINGS.keySet()));
      }
      if (equals < 0 && !name.equals("once")) {
        throw new IllegalArgumentException("expected --" + name + "=value, got " + arg);
      }
      String value = equals < 0 ? "true" : arg.substring(equals + 1);
      if (name.equals("config-map")) {
        configMapFlags.add(value);
      } else {
        values.put(name, value);
      }
    }
    if (!configMapFlags.isEmpty()) {
      values.put("config-map", String.join(",", configMapFlags));
    }

    String namespace = values.get("namespace").trim();
    if (namespace.isEmpty()) {
      namespace = env.getOrDefault("POD_NAMESPACE", "").trim();
    }
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("--namespace is required (or POD_NAMESPACE)");
    }
    String secret = values.get("secret").trim();
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("--secret is required");
    }
    String key = values.get("key").trim();
    if (key.isEmpty()) {
      throw new IllegalArgumentException("--key must not be empty");
    }
    Set<String> configMaps = new TreeSet<>();
    Arrays.stream(values.get("config-map").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(configMaps::add);
    String logLevel = values.get("log-level").toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      throw new IllegalArgumentException(
          "log-level must be one of trace, debug, info, warn, error; got " + logLevel);
    }
    String once = values.get("once").toLowerCase(Locale.ROOT);
    if (!once.equals("true") && !once.equals("false")) {
      throw new IllegalArgumentException("once must be true or false, got " + once);
    }
    return new ReloaderConfig(
        namespace,
        secret,
        key,
        path("output", values.get("output")),
        List.copyOf(configMaps),
        path("rules-dir", values.get("rules-dir")),
        url(values.get("reload-url")),
        duration("reload-timeout", values.get("reload-timeout")),
        Boolean.parseBoolean(once),
        duration("once-timeout", values.get("once-timeout")),
        port(values.get("http-port")),
        logLevel);
  }

  /** The text of {@code reloader --help}. */
  public static String usage() {
    StringBuilder text =
        new StringBuilder(
            "Usage: vigil-operator reloader --secret=<name> [--name=value ...]\n\n"
                + "Mirrors one Secret key (and rule ConfigMaps) to files and reloads Prometheus.\n\n");
    SETTINGS.forEach(
        (name, spec) ->
            text.append(
                "  --%-16s %-30s %s (default: %s)%n"
                    .formatted(
                        name, variable(name), spec[1], spec[0].isEmpty() ? "empty" : spec[0])));
    return text.toString();
  }

  /** The directory that holds the files of the rule ConfigMap {@code configMap}. */
  public Path ruleDirectory(String configMap) {
    return rulesDir.resolve(configMap);
  }

  private static String variable(String name) {
    return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static Path path(String name, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }

  private static URI url(String value) {
    URI uri;
    try {
      uri = URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("reload-url is not a URL: " + value);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("reload-url must be http or https, got " + value);
    }
    return uri;
  }

  static Duration duration(String name, String value) {
    Matcher matcher = DURATION.matcher(value.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          name + " must be a duration like 500ms, 30s, 2m or 1h; got " + value);
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  private static int port(String value) {
    int port;
    try {
      port = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("http-port must be a number, got " + value);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http-port must be between 0 and 65535, got " + port);
    }
    return port;
  }
}
