package dev.vigil.reconcilers.injection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a pod asks for through its annotations and its namespace's: per language, the reference to
 * an Instrumentation and the annotation that said it; and warnings for languages Vigil does not
 * offer. The pod's annotation wins over the namespace's, with one exception taken from the
 * OpenTelemetry operator: a pod saying {@code "true"} in a namespace that names an Instrumentation
 * gets that one.
 *
 * @param asked the languages asked for, in {@link Language} order
 * @param warnings a sentence per annotation asking for something Vigil does not do
 */
public record InjectionRequest(List<Asked> asked, List<String> warnings) {
  /**
   * @param language the language
   * @param reference {@code true}, {@code <name>} or {@code <namespace>/<name>}
   * @param annotation the annotation key that asked, for messages
   */
  public record Asked(Language language, String reference, String annotation) {}

  public InjectionRequest {
    asked = List.copyOf(asked);
    warnings = List.copyOf(warnings);
  }

  /**
   * @param honourOpenTelemetry whether {@code instrumentation.opentelemetry.io/inject-*} asks too,
   *     where Vigil's own annotation for that language is absent
   */
  public static InjectionRequest of(
      Map<String, String> pod, Map<String, String> namespace, boolean honourOpenTelemetry) {
    Map<String, String> podAnnotations = pod == null ? Map.of() : pod;
    Map<String, String> namespaceAnnotations = namespace == null ? Map.of() : namespace;
    List<Asked> asked = new ArrayList<>();
    for (Language language : Language.values()) {
      String key = InjectionAnnotations.PREFIX + InjectionAnnotations.INJECT + language.id();
      String value = value(podAnnotations, namespaceAnnotations, key);
      if (value.isEmpty() && honourOpenTelemetry) {
        key =
            InjectionAnnotations.OPENTELEMETRY_PREFIX + InjectionAnnotations.INJECT + language.id();
        value = value(podAnnotations, namespaceAnnotations, key);
      }
      if (!value.isEmpty() && !value.equalsIgnoreCase("false")) {
        asked.add(new Asked(language, value, key));
      }
    }
    List<String> warnings = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    prefixes.add(InjectionAnnotations.PREFIX + InjectionAnnotations.INJECT);
    if (honourOpenTelemetry) {
      prefixes.add(InjectionAnnotations.OPENTELEMETRY_PREFIX + InjectionAnnotations.INJECT);
    }
    Map<String, String> both = new TreeMap<>(namespaceAnnotations);
    both.putAll(podAnnotations);
    for (Map.Entry<String, String> annotation : both.entrySet()) {
      for (String prefix : prefixes) {
        if (!annotation.getKey().startsWith(prefix)) {
          continue;
        }
        String id = annotation.getKey().substring(prefix.length());
        String value = value(podAnnotations, namespaceAnnotations, annotation.getKey());
        if (Language.of(id) == null && !value.isEmpty() && !value.equalsIgnoreCase("false")) {
          warnings.add(notOffered(annotation.getKey(), id));
        }
      }
    }
    return new InjectionRequest(asked, warnings);
  }

  private static String notOffered(String key, String id) {
    String why =
        id.equals("go")
            ? ": Go's auto-instrumentation is an eBPF sidecar that needs a privileged container"
                + " running as root and the pod's process namespace, which Vigil does not grant"
            : "";
    return key
        + ": Vigil does not instrument "
        + id
        + why
        + "; it instruments java, python, nodejs and dotnet";
  }

  /** The effective value of an annotation, pod over namespace (see the class comment). */
  static String value(Map<String, String> pod, Map<String, String> namespace, String key) {
    String onPod = pod.getOrDefault(key, "").trim();
    String onNamespace = namespace.getOrDefault(key, "").trim();
    if (onNamespace.isEmpty()) {
      return onPod;
    }
    if (onPod.isEmpty()) {
      return onNamespace;
    }
    if (!onPod.equalsIgnoreCase("true") || onNamespace.equalsIgnoreCase("false")) {
      return onPod;
    }
    return onNamespace;
  }
}
