package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.instrumentation.TracingPipelineReference;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Resolves references against an {@link InstrumentationCatalog}: {@code true} is the only
 * Instrumentation of the pod's namespace, a name is one in the pod's namespace, {@code
 * <namespace>/<name>} one anywhere. Cheap: a few map reads per pod.
 */
public final class CatalogLookup implements InstrumentationLookup {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private static final String OTEL = OpenTelemetryInstrumentations.API_VERSION;

  private final InstrumentationCatalog catalog;

  public CatalogLookup(InstrumentationCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Resolution find(String podNamespace, String reference) {
    return find(podNamespace, reference, false);
  }

  /**
   * With {@code openTelemetryAnnotation}, a name resolves to Vigil's Instrumentation, else to the
   * OpenTelemetry operator's of that namespace and name (converted); {@code true} to the only
   * Instrumentation of the pod's namespace, counting both kinds.
   */
  @Override
  public Resolution find(String podNamespace, String reference, boolean openTelemetryAnnotation) {
    String value = reference == null ? "" : reference.trim();
    if (value.equalsIgnoreCase("true")) {
      List<Instrumentation> vigils =
          catalog.instrumentations(podNamespace).stream()
              .sorted(Comparator.comparing(i -> i.getMetadata().getName()))
              .toList();
      List<GenericKubernetesResource> others =
          openTelemetryAnnotation
              ? catalog.openTelemetryInstrumentations(podNamespace).stream()
                  .sorted(Comparator.comparing(i -> i.getMetadata().getName()))
                  .toList()
              : List.of();
      List<String> names = new ArrayList<>();
      vigils.forEach(i -> names.add(i.getMetadata().getName()));
      others.forEach(i -> names.add(i.getMetadata().getName() + " (" + OTEL + ")"));
      if (names.size() == 1 && others.size() == 1) {
        return converted(others.get(0));
      }
      List<Instrumentation> all = vigils;
      if (names.isEmpty()) {
        return Resolution.missing(
            "there is no Instrumentation in namespace "
                + podNamespace
                + ": create one there, or name one in another namespace as <namespace>/<name>");
      }
      if (names.size() > 1) {
        return Resolution.missing(
            names.size()
                + " Instrumentations in namespace "
                + podNamespace
                + " ("
                + String.join(", ", names)
                + "): name one instead of \"true\"");
      }
      return resolved(all.get(0));
    }
    String namespace = podNamespace;
    String name = value;
    int slash = value.indexOf('/');
    if (slash >= 0) {
      namespace = value.substring(0, slash);
      name = value.substring(slash + 1);
    }
    if (!NAME.matcher(namespace).matches() || !NAME.matcher(name).matches()) {
      return Resolution.missing(
          "\""
              + value
              + "\" is not \"true\", \"false\", an Instrumentation's name or"
              + " <namespace>/<name>");
    }
    Optional<Instrumentation> found = catalog.instrumentation(namespace, name);
    if (found.isEmpty() && openTelemetryAnnotation) {
      Optional<GenericKubernetesResource> other =
          catalog.openTelemetryInstrumentation(namespace, name);
      if (other.isPresent()) {
        return converted(other.get());
      }
    }
    if (found.isEmpty()) {
      return Resolution.missing(
          "there is no Instrumentation "
              + namespace
              + "/"
              + name
              + ": create it, or name an existing one");
    }
    return resolved(found.get());
  }

  /** The OpenTelemetry operator's Instrumentation, converted; what it leaves out as notes. */
  private static Resolution converted(GenericKubernetesResource object) {
    String namespace = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    OpenTelemetryInstrumentations.Converted converted =
        OpenTelemetryInstrumentations.convert(object);
    String prefix = OTEL + " Instrumentation " + namespace + "/" + name + ": ";
    if (converted.spec() == null) {
      return Resolution.missing(prefix + String.join("; ", converted.problems()));
    }
    String endpoint = converted.spec().endpoint;
    OtlpEndpoints endpoints =
        new OtlpEndpoints(
            endpoint, endpoint, endpoint.contains("$(" + OtlpEndpoints.NODE_IP + ")"));
    return Resolution.of(
        new ResolvedInstrumentation(
            namespace,
            name,
            converted.spec(),
            endpoints,
            converted.problems().stream().map(p -> prefix + p).toList()));
  }

  private Resolution resolved(Instrumentation instrumentation) {
    if (instrumentation.getSpec() == null) {
      return Resolution.missing(
          "Instrumentation "
              + instrumentation.getMetadata().getNamespace()
              + "/"
              + instrumentation.getMetadata().getName()
              + " has no spec: see its status");
    }
    return Resolution.of(resolve(instrumentation, catalog::tracingPipeline));
  }

  /**
   * An Instrumentation with its endpoints: {@code spec.endpoint}, or the TracingPipeline's
   * collectors (a pipeline that does not exist yet is assumed a default gateway, and noted).
   *
   * @param pipelines the TracingPipeline of a namespace and name, or empty
   */
  public static ResolvedInstrumentation resolve(
      Instrumentation instrumentation,
      BiFunction<String, String, Optional<TracingPipeline>> pipelines) {
    String namespace = instrumentation.getMetadata().getNamespace();
    String name = instrumentation.getMetadata().getName();
    var spec = instrumentation.getSpec();
    TracingPipelineReference reference = spec.tracingPipeline;
    if (reference == null || reference.name == null) {
      return new ResolvedInstrumentation(
          namespace,
          name,
          spec,
          spec.endpoint == null
              ? new OtlpEndpoints(null, null, false)
              : OtlpEndpoints.explicit(spec.endpoint),
          List.of());
    }
    String pipelineNamespace = Objects.requireNonNullElse(reference.namespace, namespace);
    Optional<TracingPipeline> pipeline = pipelines.apply(pipelineNamespace, reference.name);
    if (pipeline.isPresent()) {
      return new ResolvedInstrumentation(
          namespace, name, spec, OtlpEndpoints.of(pipeline.get()), List.of());
    }
    OtlpEndpoints assumed = OtlpEndpoints.assumed(reference, namespace);
    return new ResolvedInstrumentation(
        namespace,
        name,
        spec,
        assumed,
        List.of(
            "Instrumentation "
                + namespace
                + "/"
                + name
                + ": TracingPipeline "
                + pipelineNamespace
                + "/"
                + reference.name
                + " does not exist (yet); spans go to its Service's standard ports once it"
                + " does"));
  }
}
