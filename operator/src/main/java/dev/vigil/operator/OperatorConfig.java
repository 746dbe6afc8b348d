package dev.vigil.operator;

import dev.vigil.operator.admission.WebhookSettings;
import dev.vigil.operator.http.HttpLimits;
import dev.vigil.reconcilers.scope.Tenancy;
import java.time.Duration;
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
 * The operator's settings, from command-line flags or else environment variables. Each setting has
 * a flag {@code --name=value} and a variable {@code VIGIL_NAME}; the flag wins.
 *
 * @param watchNamespaces namespaces to watch; empty means the whole cluster
 * @param leaderElection whether replicas elect a leader through a Lease
 * @param leaseName name of the Lease
 * @param leaseNamespace namespace of the Lease
 * @param leaseDuration how long standbys wait, after the leader's last renewal, before taking over
 * @param renewDeadline how long the leader keeps trying to renew before it gives up (and exits)
 * @param retryPeriod how often the leader renews and standbys try to acquire
 * @param logLevel slf4j-simple level: trace, debug, info, warn, error
 * @param httpPort port of the health and metrics endpoints, and of service discovery unless it has
 *     a port of its own
 * @param httpRequestTimeout how long a client has to deliver a whole request, on every port
 * @param httpResponseTimeout how long a client has to take a whole response, on every port
 * @param httpMaxConnections open connections allowed per port
 * @param serviceDiscoveryPort port of service discovery's own listener; -1: it shares {@code
 *     httpPort} (never with TLS)
 * @param serviceDiscoveryTlsSecret the {@code kubernetes.io/tls} Secret service discovery serves
 *     HTTPS with, or null for plain HTTP
 * @param serviceDiscoveryUrl base URL at which Prometheus pods reach this server
 * @param operatorImage the operator's own image, run as the Prometheus pods' reloader sidecar
 * @param prometheusOperatorObjects whether prometheus-operator's {@code monitoring.coreos.com/v1}
 *     ServiceMonitors and PodMonitors are read too, where their CRDs are installed
 * @param tenancy the platform namespaces (those named, and the operator's own) and whether monitors
 *     outside them may name files
 * @param webhooks the admission webhooks' settings, or null when they are off
 * @param logAgentsNamespace where every LogPipeline's node agents run (they mount the nodes' pod
 *     log directory, so never in a tenant's namespace)
 * @param ownNamespace the operator's own namespace ({@code POD_NAMESPACE}, else the Lease's)
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    String logLevel,
    int httpPort,
    Duration httpRequestTimeout,
    Duration httpResponseTimeout,
    int httpMaxConnections,
    int serviceDiscoveryPort,
    SecretName serviceDiscoveryTlsSecret,
    String serviceDiscoveryUrl,
    String operatorImage,
    boolean prometheusOperatorObjects,
    Tenancy tenancy,
    WebhookSettings webhooks,
    String logAgentsNamespace,
    String ownNamespace) {

  /** Service discovery's port when it serves TLS and no port is given. */
  public static final int DEFAULT_TLS_PORT = 8443;

  /** Every setting: flag name, default, and what it does (printed by --help). */
  static final Map<String, String[]> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put(
        "watch-namespaces", new String[] {"", "comma-separated namespaces to watch; empty: all"});
    SETTINGS.put(
        "leader-election", new String[] {"true", "elect a leader among replicas through a Lease"});
    SETTINGS.put(
        "lease-name", new String[] {"vigil-operator-lock", "name of the leader-election Lease"});
    SETTINGS.put(
        "lease-namespace",
        new String[] {"", "namespace of the Lease; empty: POD_NAMESPACE, else vigil-system"});
    // JOSDK's and client-go's defaults. A leader that cannot renew for the renew deadline (the API
    // server away that long) exits: a longer deadline rides out longer API server restarts, a
    // longer lease makes failover slower.
    SETTINGS.put(
        "lease-duration",
        new String[] {"15s", "how long standbys wait after the leader's last renewal"});
    SETTINGS.put(
        "renew-deadline",
        new String[] {"10s", "how long the leader tries to renew before it exits"});
    SETTINGS.put(
        "retry-period", new String[] {"2s", "how often the leader renews and standbys try"});
    SETTINGS.put("log-level", new String[] {"info", "trace, debug, info, warn or error"});
    SETTINGS.put(
        "http-port",
        new String[] {
          "8080",
          "port for /healthz, /readyz, /metrics, and service discovery unless it has its own"
        });
    // Kubelet probes and Prometheus send a request in well under a millisecond: these only bound
    // what a slow or stuck client holds (docs/operator-http.md).
    SETTINGS.put(
        "http-request-timeout",
        new String[] {
          "10s",
          "time a client has to send a whole request (TLS handshake included), whole seconds;"
              + " then its connection is closed"
        });
    SETTINGS.put(
        "http-response-timeout",
        new String[] {
          "30s", "time a client has to read a whole response, whole seconds; then it is closed"
        });
    SETTINGS.put(
        "http-max-connections",
        new String[] {
          "512", "open connections per port; more are closed as they come (one thread each at most)"
        });
    SETTINGS.put(
        "service-discovery-port",
        new String[] {
          "",
          "port of service discovery's own listener; empty: http-port without TLS, "
              + DEFAULT_TLS_PORT
              + " with it"
        });
    SETTINGS.put(
        "service-discovery-tls-secret",
        new String[] {
          "",
          "[namespace/]name of a kubernetes.io/tls Secret (tls.crt, tls.key, optional ca.crt;"
              + " namespace: the operator's) to serve service discovery over HTTPS with; empty:"
              + " plain HTTP"
        });
    SETTINGS.put(
        "log-agents-namespace",
        new String[] {
          "",
          "namespace the LogPipelines' node agents run in (they mount host paths); empty: the"
              + " operator's own (POD_NAMESPACE, else the Lease's)"
        });
    SETTINGS.put(
        "service-discovery-url",
        new String[] {
          "http://vigil-operator.vigil-system.svc:8080",
          "base URL at which Prometheus pods reach the operator's service discovery"
        });
    SETTINGS.put(
        "operator-image",
        new String[] {
          "ghcr.io/vigil-dev/vigil-operator:0.1.0",
          "this operator's image; Prometheus pods run it as their config reloader"
        });
    SETTINGS.put(
        "prometheus-operator-objects",
        new String[] {
          "false",
          "also read monitoring.coreos.com/v1 ServiceMonitors and PodMonitors, where their CRDs"
              + " are installed"
        });
    SETTINGS.put(
        "platform-namespaces",
        new String[] {
          "",
          "comma-separated namespaces whose stacks may select monitors and policies in other"
              + " namespaces and whose monitors may discover anywhere, besides the operator's own;"
              + " * for every namespace (one team). Elsewhere a stack or monitor reaches its own"
              + " namespace only"
        });
    SETTINGS.put(
        "allow-file-paths",
        new String[] {
          "false",
          "let monitors outside the platform namespaces name files in the Prometheus container"
              + " (bearerTokenFile, tlsConfig.caFile, certFile, keyFile)"
        });
    SETTINGS.put(
        "webhooks",
        new String[] {
          "false",
          "serve the admission webhooks (pod instrumentation, validation of Vigil's kinds) over"
              + " HTTPS on webhook-port"
        });
    SETTINGS.put("webhook-port", new String[] {"9443", "the webhooks' HTTPS port"});
    SETTINGS.put(
        "webhook-service",
        new String[] {
          "vigil-operator-webhook",
          "the Service (name or namespace/name) in front of the webhook port, port 443"
        });
    SETTINGS.put(
        "webhook-url",
        new String[] {
          "",
          "https://host:port at which the API server reaches the webhooks from outside the"
              + " cluster; the operator then applies the webhook configurations itself"
        });
    SETTINGS.put(
        "webhook-tls-secret",
        new String[] {
          "vigil-webhook-tls", "the Secret (name or namespace/name) of the webhooks' certificate"
        });
    SETTINGS.put(
        "webhook-certificates",
        new String[] {
          "vigil",
          "vigil: the operator makes and renews the CA and certificate; cert-manager: cert-manager"
              + " issues the Secret and injects the CA"
        });
    SETTINGS.put(
        "opentelemetry-instrumentation-annotations",
        new String[] {
          "false",
          "also instrument pods annotated instrumentation.opentelemetry.io/inject-*, as the"
              + " OpenTelemetry operator does"
        });
    SETTINGS.put(
        "namespace-opt-in",
        new String[] {
          "false",
          "a platform stack selects beyond its own namespace only in namespaces annotated"
              + " monitoring.vigil.dev/selectable-by: <namespace>/<stack> (or *); false: in every"
              + " namespace its selectors name"
        });
  }

  /** A Secret by namespace and name. */
  public record SecretName(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");

  /** Reads flags first, then {@code VIGIL_*} variables, then defaults. */
  public static OperatorConfig from(List<String> args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    SETTINGS.forEach((name, spec) -> values.put(name, spec[0]));
    SETTINGS
        .keySet()
        .forEach(
            name -> {
              String variable = "VIGIL_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
              if (env.containsKey(variable)) {
                values.put(name, env.get(variable));
              }
            });
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, arg.indexOf('='));
      if (!SETTINGS.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown flag --" + name + "; known: " + String.join(", ", SETTINGS.keySet()));
      }
      values.put(name, arg.substring(arg.indexOf('=') + 1));
    }

    Set<String> namespaces = new TreeSet<>();
    Arrays.stream(values.get("watch-namespaces").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(namespaces::add);
    String leaseNamespace = values.get("lease-namespace");
    if (leaseNamespace.isBlank()) {
      leaseNamespace = env.getOrDefault("POD_NAMESPACE", "vigil-system");
    }
    Duration leaseDuration = duration(values, "lease-duration");
    Duration renewDeadline = duration(values, "renew-deadline");
    Duration retryPeriod = duration(values, "retry-period");
    if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0) {
      throw new IllegalArgumentException(
          "lease-duration must be longer than renew-deadline, and renew-deadline longer than"
              + " retry-period; got "
              + values.get("lease-duration")
              + ", "
              + values.get("renew-deadline")
              + ", "
              + values.get("retry-period"));
    }
    String logLevel = values.get("log-level").toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      throw new IllegalArgumentException(
          "log-level must be one of trace, debug, info, warn, error; got " + logLevel);
    }
    int port = port(values, "http-port");
    Duration requestTimeout = wholeSeconds(values, "http-request-timeout");
    Duration responseTimeout = wholeSeconds(values, "http-response-timeout");
    int maxConnections;
    try {
      maxConnections = Integer.parseInt(values.get("http-max-connections").trim());
    } catch (NumberFormatException e) {
      maxConnections = -1;
    }
    if (maxConnections < 16 || maxConnections > 100_000) {
      throw new IllegalArgumentException(
          "http-max-connections must be a number from 16 to 100000, got "
              + values.get("http-max-connections"));
    }
    String serviceDiscoveryUrl = values.get("service-discovery-url").replaceAll("/+$", "");
    if (!serviceDiscoveryUrl.matches("https?://[^/?#]+(/[^?#]*)?")) {
      throw new IllegalArgumentException(
          "service-discovery-url must be an http(s) URL without query, got "
              + values.get("service-discovery-url"));
    }
    SecretName tlsSecret = null;
    String secret = values.get("service-discovery-tls-secret").trim();
    if (!secret.isEmpty()) {
      String[] parts = secret.split("/", -1);
      String namespace =
          parts.length == 2 ? parts[0] : env.getOrDefault("POD_NAMESPACE", "vigil-system");
      String name = parts[parts.length - 1];
      if (parts.length > 2
          || !DNS_NAME.matcher(namespace).matches()
          || !DNS_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "service-discovery-tls-secret must be a Secret's name or namespace/name, got "
                + secret);
      }
      tlsSecret = new SecretName(namespace, name);
      if (!serviceDiscoveryUrl.startsWith("https://")) {
        throw new IllegalArgumentException(
            "service-discovery-tls-secret serves service discovery over HTTPS: service-discovery-url"
                + " must be https://..., got "
                + serviceDiscoveryUrl);
      }
    }
    int serviceDiscoveryPort;
    if (values.get("service-discovery-port").isBlank()) {
      serviceDiscoveryPort = tlsSecret == null ? -1 : DEFAULT_TLS_PORT;
    } else {
      serviceDiscoveryPort = port(values, "service-discovery-port");
      if (serviceDiscoveryPort == port && port != 0) {
        if (tlsSecret != null) {
          throw new IllegalArgumentException(
              "service-discovery-port must differ from http-port when service discovery serves"
                  + " TLS (the probes and /metrics stay plain HTTP); got "
                  + port
                  + " for both");
        }
        serviceDiscoveryPort = -1;
      }
    }
    if (values.get("operator-image").isBlank()) {
      throw new IllegalArgumentException("operator-image must not be empty");
    }
    String ownNamespace = env.getOrDefault("POD_NAMESPACE", leaseNamespace);
    return new OperatorConfig(
        Set.copyOf(namespaces),
        Boolean.parseBoolean(values.get("leader-election")),
        values.get("lease-name"),
        leaseNamespace,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        logLevel,
        port,
        requestTimeout,
        responseTimeout,
        maxConnections,
        serviceDiscoveryPort,
        tlsSecret,
        serviceDiscoveryUrl,
        values.get("operator-image"),
        bool(values, "prometheus-operator-objects"),
        tenancy(
            values.get("platform-namespaces"),
            leaseNamespace,
            env,
            bool(values, "allow-file-paths"),
            bool(values, "namespace-opt-in")),
        webhooks(values, ownNamespace, port),
        values.get("log-agents-namespace").isBlank()
            ? ownNamespace
            : values.get("log-agents-namespace").trim(),
        ownNamespace);
  }

  private static WebhookSettings webhooks(
      Map<String, String> values, String ownNamespace, int httpPort) {
    if (!bool(values, "webhooks")) {
      return null;
    }
    int webhookPort = port(values, "webhook-port");
    if (webhookPort == httpPort && webhookPort != 0) {
      throw new IllegalArgumentException(
          "webhook-port must differ from http-port (the webhooks serve HTTPS), got "
              + webhookPort
              + " for both");
    }
    String url = values.get("webhook-url").trim().replaceAll("/+$", "");
    if (!url.isEmpty() && !url.matches("https://[^/?#]+")) {
      throw new IllegalArgumentException(
          "webhook-url must be https://host:port without a path, got " + url);
    }
    String certificates = values.get("webhook-certificates").trim();
    if (!certificates.equals("vigil") && !certificates.equals("cert-manager")) {
      throw new IllegalArgumentException(
          "webhook-certificates must be vigil or cert-manager, got " + certificates);
    }
    SecretName service = namespacedName(values, "webhook-service", ownNamespace);
    SecretName secret = namespacedName(values, "webhook-tls-secret", ownNamespace);
    return new WebhookSettings(
        webhookPort,
        url.isEmpty() ? null : url,
        service.namespace(),
        service.name(),
        secret.namespace(),
        secret.name(),
        certificates.equals("cert-manager"),
        bool(values, "opentelemetry-instrumentation-annotations"));
  }

  /** {@code name} or {@code namespace/name}; the operator's namespace when none is given. */
  private static SecretName namespacedName(
      Map<String, String> values, String setting, String ownNamespace) {
    String value = values.get(setting).trim();
    String[] parts = value.split("/", -1);
    String namespace = parts.length == 2 ? parts[0] : ownNamespace;
    String name = parts[parts.length - 1];
    if (parts.length > 2
        || !DNS_NAME.matcher(namespace).matches()
        || !DNS_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          setting + " must be a name or namespace/name, got " + value);
    }
    return new SecretName(namespace, name);
  }

  /**
   * The named platform namespaces and the operator's own ({@code POD_NAMESPACE}, else the Lease's).
   */
  private static Tenancy tenancy(
      String named,
      String leaseNamespace,
      Map<String, String> env,
      boolean allowFilePaths,
      boolean namespaceOptIn) {
    Set<String> platform = new TreeSet<>();
    for (String namespace : named.split(",")) {
      String trimmed = namespace.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!trimmed.equals(Tenancy.EVERY_NAMESPACE)
          && !trimmed.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "platform-namespaces must be namespace names or *, got " + trimmed);
      }
      platform.add(trimmed);
    }
    platform.add(env.getOrDefault("POD_NAMESPACE", leaseNamespace));
    return new Tenancy(platform, allowFilePaths, namespaceOptIn);
  }

  /** A positive duration such as {@code 500ms}, {@code 15s} or {@code 1m}. */
  private static Duration duration(Map<String, String> values, String name) {
    Matcher matcher = DURATION.matcher(values.get(name).trim());
    if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
      throw new IllegalArgumentException(
          name + " must be a positive duration such as 15s, 500ms or 1m; got " + values.get(name));
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m)");

  private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  /** A duration of whole seconds, as the JDK's HTTP server counts its timeouts. */
  private static Duration wholeSeconds(Map<String, String> values, String name) {
    Duration value = duration(values, name);
    if (value.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          name + " must be whole seconds such as 10s or 1m; got " + values.get(name));
    }
    return value;
  }

  private static int port(Map<String, String> values, String name) {
    int port;
    try {
      port = Integer.parseInt(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got " + values.get(name));
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be between 0 and 65535, got " + port);
    }
    return port;
  }

  /** Only {@code true} or {@code false}: a typo must not silently turn a feature off. */
  private static boolean bool(Map<String, String> values, String name) {
    String value = values.get(name).trim().toLowerCase(Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(name + " must be true or false, got " + values.get(name));
    }
    return Boolean.parseBoolean(value);
  }

  /** The text of {@code --help}. */
  static String usage() {
    StringBuilder text = new StringBuilder("Usage: vigil-operator [--name=value ...]\n\n");
    SETTINGS.forEach(
        (name, spec) ->
            text.append(
                "  --%-27s VIGIL_%-27s %s (default: %s)%n"
                    .formatted(
                        name,
                        name.toUpperCase(Locale.ROOT).replace('-', '_'),
                        spec[1],
                        spec[0].isEmpty() ? "empty" : spec[0])));
    return text.toString();
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  /** The limits of every HTTP port. */
  public HttpLimits httpLimits() {
    return new HttpLimits(httpRequestTimeout, httpResponseTimeout, httpMaxConnections);
  }
}
