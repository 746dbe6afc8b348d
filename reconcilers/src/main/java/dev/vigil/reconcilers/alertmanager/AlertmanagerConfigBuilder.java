package dev.vigil.reconcilers.alertmanager;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.alertpolicy.InhibitRule;
import dev.vigil.api.v1alpha1.alertpolicy.MatchingRoute;
import dev.vigil.api.v1alpha1.alertpolicy.PolicyRoute;
import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.api.v1alpha1.alertpolicy.RouteSettings;
import dev.vigil.api.v1alpha1.alertpolicy.Routing;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerGlobal;
import dev.vigil.api.v1alpha1.monitoringstack.AlertmanagerSpec;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.SmtpSettings;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.Global;
import dev.vigil.reconcilers.alertmanager.AlertmanagerConfig.Route;
import dev.vigil.reconcilers.config.BuiltConfig;
import dev.vigil.reconcilers.config.ObjectProblem;
import dev.vigil.reconcilers.config.ObjectProblems;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.objects.NamespacedOrder;
import dev.vigil.reconcilers.references.MountedKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Builds the {@link AlertmanagerConfig} of a MonitoringStack's Alertmanager from the stack and the
 * AlertPolicies it selects. Pure: the same arguments give an equal result, whatever the order of
 * the policies.
 *
 * <p>The file is laid out so that one team's policy can never receive another team's alerts:
 *
 * <ul>
 *   <li>The root route sends to the stack's {@code defaultReceiver} (or to {@value
 *       #DEFAULT_RECEIVER}, a receiver without integrations, so unrouted alerts are dropped),
 *       grouped by {@code namespace} and {@code alertname}, with Alertmanager's default timings
 *       written out (group_wait 30s, group_interval 5m, repeat_interval 4h).
 *   <li>Each policy with {@code routing} gets one child of the root, in namespace/name order,
 *       matching {@code vigil_policy="<ns>/<name>"} (the label every alerting rule of the policy
 *       carries) with {@code continue: false}. Its own route settings and child routes sit below; a
 *       child route is only tried for alerts its parent matched, so its matchers can narrow the
 *       scope but never widen it.
 *   <li>A policy's receivers are named {@code <ns>/<policy>/<receiver>}: API receiver names cannot
 *       hold a {@code /}, so these never collide with another policy's or with the default
 *       receiver, and a policy's routes can only name its own.
 *   <li>A policy's inhibit rules get the same scope matcher on both the source and the target side,
 *       so a policy can only mute its own alerts, and only with its own alerts.
 *   <li>Credentials are never written into the file: each is a Secret key mounted at {@link #path}
 *       and referenced by a {@code *_file} field. A policy's Secrets are read in its own namespace,
 *       the stack's (globals, default receiver) in the stack's.
 * </ul>
 *
 * <p>Alertmanager refuses its whole configuration over one bad part, so everything it would refuse
 * is checked here. A policy whose routing cannot be rendered (a route naming a receiver the policy
 * does not define, a regular expression Go cannot compile, a missing Secret key, ...) is left out
 * whole, with its keys, and reported in {@link BuiltConfig#problems()}; the other policies are
 * unaffected. A stack setting that cannot be rendered is dropped and reported the same way.
 */
public final class AlertmanagerConfigBuilder {
  /** Where the Alertmanager container finds the Secret keys the file references. */
  public static final String SECRETS_DIR = "/etc/alertmanager/secrets";

  /** The root receiver when the stack has no {@code defaultReceiver}: it has no integrations. */
  public static final String DEFAULT_RECEIVER = "vigil-default";

  static final List<String> DEFAULT_GROUP_BY = List.of("namespace", "alertname");
  static final String DEFAULT_GROUP_WAIT = "30s";
  static final String DEFAULT_GROUP_INTERVAL = "5m";
  static final String DEFAULT_REPEAT_INTERVAL = "4h";

  private static final String GROUP_BY_ALL = "...";

  /** A Prometheus duration, as Alertmanager's {@code model.ParseDuration} reads it. */
  private static final Pattern DURATION =
      Pattern.compile(
          "0|(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?"
              + "(?:([0-9]+)ms)?");

  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3_600_000, 7L * 24 * 3_600_000, 24L * 3_600_000, 3_600_000, 60_000, 1_000, 1
  };

  /** The longest duration Go's {@code time.Duration} (nanoseconds in an int64) holds. */
  private static final long MAX_MILLIS = Long.MAX_VALUE / 1_000_000;

  private AlertmanagerConfigBuilder() {}

  /** The file, inside the Alertmanager container, holding a Secret key's value. */
  public static String path(MountedKey key) {
    if (key.source() != MountedKey.Source.SECRET) {
      throw new IllegalArgumentException("Alertmanager only mounts Secret keys: " + key);
    }
    return SECRETS_DIR + "/" + key.relativePath();
  }

  /** Whether the stack runs an Alertmanager, the only case its configuration is built for. */
  public static boolean enabled(MonitoringStack stack) {
    return stack.getSpec().alertmanager != null
        && Boolean.TRUE.equals(stack.getSpec().alertmanager.enabled);
  }

  /**
   * Why the stack's Alertmanager would leave the policy's routing out, or an empty list: the checks
   * {@link #build} makes, for one policy.
   */
  public static List<String> policyProblems(
      MonitoringStack stack, AlertPolicy policy, AlertmanagerConfigInputs inputs) {
    return build(stack, List.of(policy), inputs).problems().stream()
        .filter(p -> "AlertPolicy".equals(p.kind()))
        .map(ObjectProblem::message)
        .toList();
  }

  /**
   * @param stack the stack; its {@code alertmanager} settings give the globals and the default
   *     receiver (whether Alertmanager is enabled is the caller's business)
   * @param policies the accepted AlertPolicies the stack selects, in any order; those without
   *     {@code routing} add nothing
   * @return the configuration, ready for {@link AlertmanagerConfigRenderer}; every Secret key it
   *     reads as a file, at {@link #path}; and what was left out: the stack's settings, then the
   *     policies in namespace/name order
   * @throws IllegalArgumentException on a caller's mistake: an object without namespace or name,
   *     the same policy twice
   */
  public static BuiltConfig<AlertmanagerConfig> build(
      MonitoringStack stack, Collection<AlertPolicy> policies, AlertmanagerConfigInputs inputs) {
    NamespacedOrder.requireNamed(stack);
    AlertmanagerSpec spec =
        stack.getSpec() == null || stack.getSpec().alertmanager == null
            ? new AlertmanagerSpec()
            : stack.getSpec().alertmanager;
    Collector collector = new Collector(stack, inputs.keyExists());

    Global global = global(spec.global, collector);
    AlertmanagerConfig.Receiver defaultReceiver = defaultReceiver(spec, global, collector);

    List<AlertmanagerConfig.Receiver> receivers = new ArrayList<>();
    receivers.add(defaultReceiver);
    List<Route> policyRoutes = new ArrayList<>();
    List<AlertmanagerConfig.InhibitRule> inhibitRules = new ArrayList<>();
    for (AlertPolicy policy : NamespacedOrder.sorted(policies)) {
      if (policy.getSpec() == null || policy.getSpec().routing == null) {
        continue;
      }
      collector
          .attempt(policy, null, files -> PolicyRouting.of(policy, files, global))
          .ifPresent(
              routing -> {
                receivers.addAll(routing.receivers());
                policyRoutes.add(routing.route());
                inhibitRules.addAll(routing.inhibitRules());
              });
    }

    Route root =
        new Route(
            defaultReceiver.name(),
            DEFAULT_GROUP_BY,
            null,
            null,
            DEFAULT_GROUP_WAIT,
            DEFAULT_GROUP_INTERVAL,
            DEFAULT_REPEAT_INTERVAL,
            policyRoutes);
    AlertmanagerConfig config =
        new AlertmanagerConfig(
            global.equals(Global.NONE) ? null : global, root, inhibitRules, receivers);
    return new BuiltConfig<>(config, collector.mounted, collector.problems.list());
  }

  private static Global global(AlertmanagerGlobal spec, Collector collector) {
    if (spec == null) {
      return Global.NONE;
    }
    String resolveTimeout = spec.resolveTimeout;
    if (resolveTimeout != null && !nonZeroDuration(resolveTimeout)) {
      collector.stackProblem(
          "spec.alertmanager.global.resolveTimeout \"%s\" is not a non-zero Prometheus duration;"
                  .formatted(resolveTimeout)
              + " using Alertmanager's default (5m)");
      resolveTimeout = null;
    }
    SmtpSettings smtp = spec.smtp == null ? new SmtpSettings() : spec.smtp;
    String smtpPassword =
        smtp.authPassword == null
            ? null
            : collector
                .attempt(
                    collector.stack,
                    "the SMTP password is left out",
                    files ->
                        files.file(smtp.authPassword, "spec.alertmanager.global.smtp.authPassword"))
                .orElse(null);
    String slackApiUrl =
        spec.slackApiUrl == null
            ? null
            : collector
                .attempt(
                    collector.stack,
                    "the global Slack URL is left out",
                    files -> files.file(spec.slackApiUrl, "spec.alertmanager.global.slackApiUrl"))
                .orElse(null);
    String pagerdutyUrl =
        validUrl(spec.pagerdutyUrl, "spec.alertmanager.global.pagerdutyUrl", collector);
    String opsgenieApiUrl =
        validUrl(spec.opsgenieApiUrl, "spec.alertmanager.global.opsgenieApiUrl", collector);
    return new Global(
        resolveTimeout,
        smtp.from,
        smtp.smarthost,
        smtp.authUsername,
        smtpPassword,
        smtp.requireTLS,
        slackApiUrl,
        pagerdutyUrl,
        opsgenieApiUrl);
  }

  private static String validUrl(String url, String field, Collector collector) {
    if (url == null) {
      return null;
    }
    return collector
        .attempt(
            collector.stack, "Alertmanager's default is used", files -> Receivers.url(url, field))
        .orElse(null);
  }

  private static AlertmanagerConfig.Receiver defaultReceiver(
      AlertmanagerSpec spec, Global global, Collector collector) {
    Receiver receiver = spec.defaultReceiver;
    if (receiver == null) {
      return AlertmanagerConfig.Receiver.none(DEFAULT_RECEIVER);
    }
    String field = "spec.alertmanager.defaultReceiver";
    return collector
        .attempt(
            collector.stack,
            "alerts no AlertPolicy routes are dropped",
            files -> {
              String name = Receivers.names(List.of(receiver), field).get(0);
              return Receivers.of(receiver, name, field, files, global);
            })
        .orElse(AlertmanagerConfig.Receiver.none(DEFAULT_RECEIVER));
  }

  /** One policy's part of the file. */
  record PolicyRouting(
      List<AlertmanagerConfig.Receiver> receivers,
      Route route,
      List<AlertmanagerConfig.InhibitRule> inhibitRules) {

    static PolicyRouting of(AlertPolicy policy, SecretFiles files, Global global) {
      String namespace = policy.getMetadata().getNamespace();
      String name = policy.getMetadata().getName();
      Routing routing = policy.getSpec().routing;
      String prefix = namespace + "/" + name + "/";

      List<Receiver> specs = routing.receivers == null ? List.of() : routing.receivers;
      if (specs.isEmpty()) {
        throw new PartLeftOut("spec.routing.receivers: at least one receiver is required");
      }
      List<String> names = Receivers.names(specs, "spec.routing.receivers");
      List<AlertmanagerConfig.Receiver> receivers = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        receivers.add(
            Receivers.of(
                specs.get(i),
                prefix + names.get(i),
                "spec.routing.receivers[" + i + "]",
                files,
                global));
      }
      Function<String, String> receiverName =
          receiver -> {
            if (!names.contains(receiver)) {
              return null;
            }
            return prefix + receiver;
          };

      PolicyRoute top = routing.route;
      if (top == null) {
        throw new PartLeftOut("spec.routing.route is required");
      }
      List<Route> children = new ArrayList<>();
      for (int i = 0; top.routes != null && i < top.routes.size(); i++) {
        var child = top.routes.get(i);
        String field = "spec.routing.route.routes[" + i + "]";
        if (child == null) {
          throw new PartLeftOut(field + " is empty");
        }
        List<Route> grandchildren = new ArrayList<>();
        for (int j = 0; child.routes != null && j < child.routes.size(); j++) {
          MatchingRoute grandchild = child.routes.get(j);
          String grandchildField = field + ".routes[" + j + "]";
          if (grandchild == null) {
            throw new PartLeftOut(grandchildField + " is empty");
          }
          grandchildren.add(matching(grandchild, receiverName, grandchildField, List.of()));
        }
        children.add(matching(child, receiverName, field, grandchildren));
      }
      String field = "spec.routing.route";
      Route route =
          route(
              top,
              receiver(top.receiver, true, receiverName, field),
              false,
              Matchers.scope(namespace, name),
              children,
              field);

      List<AlertmanagerConfig.InhibitRule> inhibitRules = new ArrayList<>();
      List<String> scope = Matchers.scope(namespace, name);
      for (int i = 0; routing.inhibitRules != null && i < routing.inhibitRules.size(); i++) {
        InhibitRule rule = routing.inhibitRules.get(i);
        String ruleField = "spec.routing.inhibitRules[" + i + "]";
        if (rule == null) {
          throw new PartLeftOut(ruleField + " is empty");
        }
        inhibitRules.add(
            new AlertmanagerConfig.InhibitRule(
                Matchers.of(scope, rule.sourceMatchers, ruleField + ".sourceMatchers"),
                Matchers.of(scope, rule.targetMatchers, ruleField + ".targetMatchers"),
                labelNames(rule.equal, ruleField + ".equal", false)));
      }
      return new PolicyRouting(receivers, route, inhibitRules);
    }

    private static Route matching(
        MatchingRoute spec,
        Function<String, String> receiverName,
        String field,
        List<Route> children) {
      return route(
          spec,
          receiver(spec.receiver, false, receiverName, field),
          spec.continueMatching,
          Matchers.of(List.of(), spec.matchers, field + ".matchers"),
          children,
          field);
    }

    /** The prefixed name of a receiver the policy defines; null inherits the parent's. */
    private static String receiver(
        String receiver, boolean required, Function<String, String> receiverName, String field) {
      if (receiver == null) {
        if (required) {
          throw new PartLeftOut(field + ".receiver is required");
        }
        return null;
      }
      String name = receiverName.apply(receiver);
      if (name == null) {
        throw new PartLeftOut(
            "%s.receiver \"%s\" is not one of spec.routing.receivers".formatted(field, receiver));
      }
      return name;
    }

    private static Route route(
        RouteSettings settings,
        String receiver,
        Boolean continueMatching,
        List<String> matchers,
        List<Route> children,
        String field) {
      return new Route(
          receiver,
          labelNames(settings.groupBy, field + ".groupBy", true),
          continueMatching,
          matchers,
          duration(settings.groupWait, false, field + ".groupWait"),
          duration(settings.groupInterval, true, field + ".groupInterval"),
          duration(settings.repeatInterval, true, field + ".repeatInterval"),
          children);
    }
  }

  /**
   * {@code group_by} or {@code equal}: label names, each once; in {@code group_by}, {@code ...}
   * (every label) only on its own.
   */
  private static List<String> labelNames(List<String> names, String field, boolean groupBy) {
    if (names == null) {
      return null;
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name == null || name.isEmpty()) {
        throw new PartLeftOut("%s[%d] is empty".formatted(field, i));
      }
      if (names.indexOf(name) != i) {
        throw new PartLeftOut("%s: \"%s\" is listed twice".formatted(field, name));
      }
      if (name.equals(GROUP_BY_ALL) && (!groupBy || names.size() > 1)) {
        throw new PartLeftOut(
            groupBy
                ? field + ": \"...\" groups by every label and cannot be combined with other labels"
                : "%s[%d]: \"...\" is not a label name".formatted(field, i));
      }
    }
    return List.copyOf(names);
  }

  private static String duration(String duration, boolean nonZero, String field) {
    if (duration == null) {
      return null;
    }
    long millis = millis(duration);
    if (millis < 0 || (nonZero && millis == 0)) {
      throw new PartLeftOut(
          "%s \"%s\" is not a%s Prometheus duration such as 5m"
              .formatted(field, duration, nonZero ? " non-zero" : ""));
    }
    return duration;
  }

  static boolean nonZeroDuration(String duration) {
    return millis(duration) > 0;
  }

  /**
   * The duration in milliseconds, or -1 when Alertmanager cannot read it: empty, not a Prometheus
   * duration, or longer than Go's {@code time.Duration} holds (about 292 years).
   */
  static long millis(String duration) {
    java.util.regex.Matcher parts = DURATION.matcher(duration);
    if (duration.isEmpty() || !parts.matches()) {
      return -1;
    }
    long total = 0;
    try {
      for (int i = 0; i < UNIT_MILLIS.length; i++) {
        String count = parts.group(i + 1);
        if (count != null) {
          total = Math.addExact(total, Math.multiplyExact(Long.parseLong(count), UNIT_MILLIS[i]));
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return -1;
    }
    return total > MAX_MILLIS ? -1 : total;
  }

  /** What the build keeps as it goes: the keys of accepted parts, and problems. */
  private static final class Collector {
    final MonitoringStack stack;
    final Predicate<MountedKey> exists;
    final SortedSet<MountedKey> mounted = new TreeSet<>();
    final ObjectProblems problems = new ObjectProblems();

    Collector(MonitoringStack stack, Predicate<MountedKey> exists) {
      this.stack = stack;
      this.exists = exists;
    }

    /**
     * Builds one part of the configuration from one object: all of it with the keys it references,
     * or nothing and a problem.
     *
     * @param suffix added to the problem's message, or null
     */
    <T> Optional<T> attempt(HasMetadata object, String suffix, Function<SecretFiles, T> build) {
      SecretFiles files = new SecretFiles(object.getMetadata().getNamespace(), exists);
      Optional<T> built = problems.attempt(object, suffix, () -> build.apply(files));
      built.ifPresent(part -> mounted.addAll(files.used()));
      return built;
    }

    void stackProblem(String message) {
      problems.add(stack, message);
    }
  }
}
