package dev.vigil.reconcilers.robustness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.common.VigilStatus;
import dev.vigil.reconcilers.robustness.CustomResourceGenerator.Generated;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the bad-input property tests assert of an operator that has seen random and mutated objects,
 * on the mock server or a real API server: every object reconciled without an exception, every
 * problem reported in a condition that names it and in a Warning Event, and objects that were there
 * before (bystanders) untouched.
 */
public final class BadInputChecks {
  /** Reasons that say the user must fix something (the others say what is going on). */
  public static final Set<String> PROBLEM_REASONS =
      Set.of(
          "InvalidSpec",
          "Rejected",
          "UnknownPort",
          "RulesRejected",
          "RoutingRejected",
          "ConfigPartsLeftOut",
          "NothingToRun",
          "DashboardsSkipped");

  /** A message that names its problem: a field path, or the kind of thing referenced. */
  static final Pattern NAMES_A_PROBLEM =
      Pattern.compile(
          "spec\\.|Secret|ConfigMap|port|receiver|selector|label|regex|PromQL|expression|"
              + "duration|route|rule|endpoint|exporter|receivers|processor",
          Pattern.CASE_INSENSITIVE);

  /** What a message must not be: a Java exception or a stack trace. */
  static final Pattern JAVA_LEAK =
      Pattern.compile(
          "Exception|\\bat [a-z]+\\.[a-z]+\\.|java\\.(lang|util)|\\bnull\\b(?! or)|"
              + "Cannot invoke|because \"",
          Pattern.CASE_INSENSITIVE);

  /** Secrets the examples reference, each with every key they read, with made-up values. */
  public static final Map<String, List<String>> EXAMPLE_SECRETS =
      Map.of(
          "mimir-credentials", List.of("username", "password"),
          "smtp-credentials", List.of("password"),
          "grafana-admin", List.of("admin-user", "admin-password"),
          "checkout-tls", List.of("ca.crt"),
          "checkout-scrape-token", List.of("token"),
          "checkout-pagerduty", List.of("routing-key"),
          "checkout-slack", List.of("webhook-url"),
          "vendor-otlp", List.of("api-key"));

  private BadInputChecks() {}

  public static List<Secret> exampleSecrets(String namespace) {
    List<Secret> secrets = new ArrayList<>();
    EXAMPLE_SECRETS.forEach(
        (name, keys) -> {
          SecretBuilder secret =
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata();
          for (String key : keys) {
            // data, not stringData: the mock server does not turn one into the other.
            String value = key.equals("webhook-url") ? "https://hooks.example.com/x" : "v";
            secret.addToData(
                key,
                java.util.Base64.getEncoder()
                    .encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          }
          secrets.add(secret.build());
        });
    return secrets;
  }

  /**
   * The five examples in {@code namespace}, valid and kept to themselves: the stack takes in only
   * the monitors and policies of that namespace labelled {@code team: <namespace>}, so nothing
   * generated elsewhere changes what it deploys.
   */
  public static List<HasMetadata> bystanders(String namespace) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    for (var entry : CustomResourceGenerator.KINDS.entrySet()) {
      ObjectNode tree = CustomResourceGenerator.example(entry.getValue());
      ObjectNode metadata = (ObjectNode) tree.get("metadata");
      metadata.put("namespace", namespace);
      metadata.putObject("labels").put("team", namespace);
      ObjectNode spec = (ObjectNode) tree.get("spec");
      if (spec.has("monitorSelector")) {
        ObjectNode monitors = spec.putObject("monitorSelector");
        monitors.putObject("labelSelector").putObject("matchLabels").put("team", namespace);
        monitors
            .putObject("namespaceSelector")
            .putObject("matchLabels")
            .put(CustomResourceGenerator.NAMESPACE_NAME_LABEL, namespace);
        ObjectNode policies = spec.putObject("policySelector");
        policies.putObject("labelSelector").putObject("matchLabels").put("team", namespace);
        policies
            .putObject("namespaceSelector")
            .putObject("matchLabels")
            .put(CustomResourceGenerator.NAMESPACE_NAME_LABEL, namespace);
      }
      if (spec.has("namespaceSelector")) {
        spec.putObject("namespaceSelector").putArray("matchNames").add(namespace);
      }
      objects.add(CustomResourceGenerator.YAML.treeToValue(tree, entry.getKey()));
    }
    return objects;
  }

  /** kind/name → resourceVersion of every object in {@code namespace} that Vigil owns. */
  public static Map<String, String> ownedObjects(KubernetesClient client, String namespace) {
    Map<String, String> owned = new TreeMap<>();
    for (Class<? extends HasMetadata> type :
        List.of(
            ConfigMap.class,
            Secret.class,
            Service.class,
            ServiceAccount.class,
            StatefulSet.class,
            Deployment.class,
            DaemonSet.class,
            PodDisruptionBudget.class,
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
            Role.class,
            RoleBinding.class,
            PersistentVolumeClaim.class)) {
      for (HasMetadata object : client.resources(type).inNamespace(namespace).list().getItems()) {
        if (!object.getMetadata().getOwnerReferences().isEmpty()) {
          owned.put(
              object.getKind() + "/" + object.getMetadata().getName(),
              object.getMetadata().getResourceVersion());
        }
      }
    }
    return owned;
  }

  /** Conditions as type → status/reason/message. */
  public static Map<String, String> conditions(CustomResource<?, ? extends VigilStatus> object) {
    Map<String, String> conditions = new TreeMap<>();
    if (object != null && object.getStatus() != null) {
      for (Condition c : object.getStatus().conditions) {
        conditions.put(c.getType(), c.getStatus() + "/" + c.getReason() + "/" + c.getMessage());
      }
    }
    return conditions;
  }

  /**
   * Conditions as type → status/reason, to compare a bystander before and after: a generated stack
   * may well select a bystander's policy or monitor (its selector mutated to every namespace), and
   * the message then lists that stack too, which is no damage.
   */
  public static Map<String, String> states(CustomResource<?, ? extends VigilStatus> object) {
    Map<String, String> states = new TreeMap<>();
    conditions(object)
        .forEach((type, c) -> states.put(type, c.substring(0, c.indexOf('/', c.indexOf('/') + 1))));
    return states;
  }

  /**
   * What is wrong with how the operator reported on {@code object} (read back with its status);
   * empty when every problem it found has a condition naming it and a Warning Event.
   */
  public static List<String> complaints(
      CustomResource<?, ? extends VigilStatus> object, List<Event> eventsInNamespace) {
    String who = ReconcileCounter.key(object);
    List<String> complaints = new ArrayList<>();
    VigilStatus status = object.getStatus();
    if (status == null || status.conditions.isEmpty()) {
      return List.of(who + ": no status");
    }
    status
        .condition("Reconciled")
        .filter(c -> !"True".equals(c.getStatus()))
        .ifPresent(
            c -> complaints.add(who + ": Reconciled " + c.getStatus() + ": " + c.getMessage()));
    Optional<Condition> ready = status.condition("Ready");
    if (ready.isEmpty()) {
      complaints.add(who + ": no Ready condition");
    }
    for (Condition c : status.conditions) {
      if (!"True".equals(c.getStatus()) && PROBLEM_REASONS.contains(c.getReason())) {
        String message = c.getMessage() == null ? "" : c.getMessage();
        if (message.isBlank()) {
          complaints.add(who + ": " + c.getType() + "=" + c.getReason() + " with no message");
        } else if (JAVA_LEAK.matcher(message).find()) {
          complaints.add(who + ": " + c.getType() + " message leaks Java: " + message);
        } else if (!NAMES_A_PROBLEM.matcher(message).find()) {
          complaints.add(who + ": " + c.getType() + " message names no field: " + message);
        }
        boolean warned =
            eventsInNamespace.stream()
                .anyMatch(
                    e ->
                        e.getRegarding() != null
                            && object.getMetadata().getName().equals(e.getRegarding().getName())
                            && object.getKind().equals(e.getRegarding().getKind())
                            && "Warning".equals(e.getType())
                            && c.getReason().equals(e.getReason()));
        if (!warned) {
          complaints.add(who + ": no Warning Event for " + c.getType() + "=" + c.getReason());
        }
      }
    }
    return complaints;
  }

  /**
   * What the checks found over the objects the operator settled: every {@link #complaints}, valid
   * objects called invalid, objects reconciled more than {@code maxReconciles} times; and the count
   * of each kind's Ready reason and of objects reported as problems.
   */
  public record Verdict(
      List<String> complaints, Map<String, Integer> readyReasons, int reportedProblems) {}

  public static Verdict judge(
      List<Generated> objects,
      KubernetesClient client,
      Function<Generated, CustomResource<?, ? extends VigilStatus>> readBack,
      ReconcileCounter counter,
      int maxReconciles) {
    Map<String, List<Event>> events = new HashMap<>();
    List<String> complaints = new ArrayList<>();
    Map<String, Integer> reasons = new TreeMap<>();
    int reportedProblems = 0;
    for (Generated generated : objects) {
      CustomResource<?, ? extends VigilStatus> fresh = readBack.apply(generated);
      List<Event> nsEvents =
          events.computeIfAbsent(
              generated.namespace(),
              ns -> client.resources(Event.class).inNamespace(ns).list().getItems());
      complaints(fresh, nsEvents).forEach(c -> complaints.add(c + "   <- " + generated));
      String ready = conditions(fresh).getOrDefault("Ready", "none/none/");
      String reason = ready.split("/")[1];
      reasons.merge(generated.kind().getSimpleName() + " " + reason, 1, Integer::sum);
      if (PROBLEM_REASONS.contains(reason)) {
        reportedProblems++;
      }
      if (!generated.mutated() && "InvalidSpec".equals(reason)) {
        complaints.add("a valid object called invalid: " + ready + "   <- " + generated);
      }
      int reconciles = counter.of(ReconcileCounter.key(fresh));
      if (reconciles > maxReconciles) {
        complaints.add(
            ReconcileCounter.key(fresh) + " reconciled " + reconciles + " times   <- " + generated);
      }
    }
    return new Verdict(complaints, reasons, reportedProblems);
  }
}
