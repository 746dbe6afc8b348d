package dev.vigil.operator.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.rules.ExpressionCheck;
import dev.vigil.reconcilers.rules.PolicyRules;
import dev.vigil.reconcilers.validation.AlertPolicyValidator;
import dev.vigil.reconcilers.validation.InstrumentationValidator;
import dev.vigil.reconcilers.validation.LogPipelineValidator;
import dev.vigil.reconcilers.validation.MonitoringStackValidator;
import dev.vigil.reconcilers.validation.PodMonitorValidator;
import dev.vigil.reconcilers.validation.Problem;
import dev.vigil.reconcilers.validation.ServiceMonitorValidator;
import dev.vigil.reconcilers.validation.TracingPipelineValidator;
import dev.vigil.reconcilers.validation.Validator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the webhooks answer, as pure functions from an {@code admission.k8s.io/v1} AdmissionReview
 * to the review with its response (the HTTP side is {@link AdmissionEndpoint}).
 *
 * <p><b>Validation</b> runs the same checks the kind's reconciler runs first ({@code
 * reconcilers/validation}, and for an AlertPolicy its rules' PromQL): an object they refuse is
 * refused at {@code kubectl apply} with the message its status would give. Deletions are always
 * allowed.
 *
 * <p><b>Pod mutation</b> asks the {@link PodMutator} and answers the JSON Patch from the pod as
 * sent to the pod as mutated. It never refuses a pod: whatever goes wrong, the pod is admitted as
 * sent, with a warning that says why.
 */
public final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** The pod as it should be admitted, and what to tell whoever created it. */
  public interface PodMutator {
    /** Admits every pod as sent: what runs until Instrumentation objects are served. */
    PodMutator UNCHANGED = (pod, namespace) -> new Mutation(pod, List.of());

    Mutation mutate(Pod pod, String namespace);

    record Mutation(Pod pod, List<String> warnings) {}
  }

  private final Map<String, Function<JsonNode, List<String>>> validators;
  private final PodMutator mutator;
  private volatile UninstrumentedPods uninstrumented;
  private final SecretExists secrets;

  /** Whether a Secret holds a key: how validation tells a reference that does not resolve yet. */
  public interface SecretExists {
    /** Answers yes to everything: for callers with no API server. */
    SecretExists ASSUMED = (namespace, name, key) -> true;

    boolean has(String namespace, String name, String key);
  }

  public Admission(ExpressionCheck expressions, PodMutator mutator) {
    this(expressions, mutator, SecretExists.ASSUMED);
  }

  public Admission(ExpressionCheck expressions, PodMutator mutator, SecretExists secrets) {
    this.mutator = mutator;
    this.secrets = secrets;
    this.validators =
        Map.of(
            "MonitoringStack",
            object -> problems(new MonitoringStackValidator(), object, MonitoringStack.class),
            "ServiceMonitor",
            object -> problems(new ServiceMonitorValidator(), object, ServiceMonitor.class),
            "PodMonitor",
            object -> problems(new PodMonitorValidator(), object, PodMonitor.class),
            "TracingPipeline",
            object -> problems(new TracingPipelineValidator(), object, TracingPipeline.class),
            "Instrumentation",
            object -> problems(new InstrumentationValidator(), object, Instrumentation.class),
            "LogPipeline",
            object -> problems(new LogPipelineValidator(), object, LogPipeline.class),
            "AlertPolicy",
            object -> {
              List<String> problems =
                  problems(new AlertPolicyValidator(), object, AlertPolicy.class);
              if (problems.isEmpty()) {
                // As its Accepted condition would say: the rules Prometheus would refuse.
                problems =
                    PolicyRules.build(read(object, AlertPolicy.class), expressions).problems();
              }
              return problems;
            });
  }

  /** From now on, a pod admitted with warnings gets a Warning Event on its controller. */
  void recordEventsWith(UninstrumentedPods events) {
    this.uninstrumented = events;
  }

  /** The response to a review of one of Vigil's kinds. */
  public ObjectNode validate(JsonNode review) {
    JsonNode request = review.path("request");
    String kind = request.path("kind").path("kind").asText();
    Function<JsonNode, List<String>> validator = validators.get(kind);
    if ("DELETE".equals(request.path("operation").asText()) || validator == null) {
      return response(request, true, null, List.of(), null);
    }
    List<String> problems;
    try {
      problems = validator.apply(request.path("object"));
    } catch (RuntimeException e) {
      // What the schema let through but Vigil cannot read: the reconciler says the same.
      problems = List.of("the object cannot be read: " + e.getMessage());
    }
    if (problems.isEmpty()) {
      return response(
          request,
          true,
          null,
          missingSecrets(request.path("object"), request.path("namespace").asText()),
          null);
    }
    String message =
        kind
            + " "
            + request.path("namespace").asText()
            + "/"
            + request
                .path("name")
                .asText(request.path("object").path("metadata").path("name").asText())
            + " is refused: "
            + String.join("; ", problems);
    return response(request, false, message, List.of(), null);
  }

  /** The response to a review of a pod being created: always allowed, maybe with a patch. */
  public ObjectNode mutatePod(JsonNode review) {
    JsonNode request = review.path("request");
    try {
      JsonNode sent = request.path("object");
      Pod pod = read(sent, Pod.class);
      PodMutator.Mutation mutation = mutator.mutate(pod, request.path("namespace").asText());
      // The model's view of the pod as sent against its view of the pod mutated: only what the
      // mutation changed is patched, however the sender spelled the rest.
      ArrayNode patch = JsonPatch.diff(tree(pod), tree(mutation.pod()));
      if (uninstrumented != null) {
        uninstrumented.tell(pod, request.path("namespace").asText(), mutation.warnings());
      }
      return response(request, true, null, mutation.warnings(), patch.isEmpty() ? null : patch);
    } catch (RuntimeException e) {
      LOG.warn("admitted a pod unchanged: its mutation failed", e);
      return response(
          request,
          true,
          null,
          List.of(
              "Vigil could not instrument this pod and admitted it unchanged: " + e.getMessage()),
          null);
    }
  }

  /**
   * A Secret key the object references that does not exist (yet) is a warning, never a refusal:
   * GitOps tools apply a directory in any order, and the object's status says the same until the
   * Secret is there. References are the API's {@code SecretKeySelector}s ({@code {name, key}}),
   * wherever they sit; a ConfigMap's ({@code configMap: {name, key}}) is not one.
   */
  List<String> missingSecrets(JsonNode object, String namespace) {
    List<String> warnings = new java.util.ArrayList<>();
    walk("", object.path("spec"), "spec", namespace, warnings);
    return warnings;
  }

  private void walk(
      String parentField, JsonNode node, String path, String namespace, List<String> warnings) {
    if (node.isObject()) {
      if (!parentField.equals("configMap")
          && node.path("name").isTextual()
          && node.path("key").isTextual()
          && node.size() <= 3
          && !node.path("optional").asBoolean(false)
          && !secrets.has(namespace, node.path("name").asText(), node.path("key").asText())) {
        warnings.add(
            path
                + ": Secret "
                + namespace
                + "/"
                + node.path("name").asText()
                + " has no key "
                + node.path("key").asText()
                + " (yet); the object is accepted and its status says so until it does");
      }
      node.fields()
          .forEachRemaining(
              field ->
                  walk(
                      field.getKey(),
                      field.getValue(),
                      path + "." + field.getKey(),
                      namespace,
                      warnings));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(parentField, node.get(i), path + "[" + i + "]", namespace, warnings);
      }
    }
  }

  private static <T extends CustomResource<?, ?>> List<String> problems(
      Validator<T> validator, JsonNode object, Class<T> type) {
    return Problem.messages(validator.validate(read(object, type)));
  }

  private static <T> T read(JsonNode object, Class<T> type) {
    return SERIALIZATION.convertValue(object, type);
  }

  private static JsonNode tree(Object object) {
    return SERIALIZATION.convertValue(object, JsonNode.class);
  }

  private static ObjectNode response(
      JsonNode request, boolean allowed, String message, List<String> warnings, ArrayNode patch) {
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1");
    review.put("kind", "AdmissionReview");
    ObjectNode response = review.putObject("response");
    response.put("uid", request.path("uid").asText());
    response.put("allowed", allowed);
    if (message != null) {
      ObjectNode status = response.putObject("status");
      status.put("code", 422);
      status.put("reason", "Invalid");
      status.put("message", message);
    }
    if (!warnings.isEmpty()) {
      ArrayNode list = response.putArray("warnings");
      // The API server refuses warnings over 512 characters or with line breaks.
      warnings.forEach(w -> list.add(shortened(w.replaceAll("\\s+", " "), 500)));
    }
    if (patch != null) {
      response.put("patchType", "JSONPatch");
      response.put(
          "patch",
          Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return review;
  }

  private static String shortened(String text, int most) {
    return text.length() <= most ? text : text.substring(0, most - 3) + "...";
  }
}
