package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.api.v1alpha1.instrumentation.LanguageSpec;
import dev.vigil.reconcilers.objects.DefaultResources;
import dev.vigil.reconcilers.objects.PodParts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Auto-instrumentation of one pod at admission, as the mutating webhook calls it: reads what the
 * pod (and its namespace) ask for, finds the Instrumentation through the lookup, and returns a new
 * Pod with the language's init container, its shared emptyDir mounted into the chosen containers,
 * and the environment that loads the SDK and says where spans go. What the user set is never
 * overwritten: a variable already present is kept (JAVA_TOOL_OPTIONS, NODE_OPTIONS, PYTHONPATH and
 * the .NET hook lists are extended), and so are resource attributes the container's own
 * OTEL_RESOURCE_ATTRIBUTES sets. A pod already instrumented comes back unchanged, so admitting it
 * twice (webhook reinvocation) gives the same pod. A pod that cannot be instrumented comes back
 * unchanged with a warning saying what to fix. Never throws for user input; thread-safe.
 */
public final class PodInjector {
  /** Default size limit of the shared volume, as the OpenTelemetry operator's. */
  public static final String DEFAULT_VOLUME_SIZE_LIMIT = "200Mi";

  static final String POD_NAME = "OTEL_RESOURCE_ATTRIBUTES_POD_NAME";
  static final String NODE_NAME = "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME";
  static final String RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  private final InstrumentationLookup lookup;
  private final boolean honourOpenTelemetryAnnotations;

  /** An injector reading Vigil's annotations only. */
  public PodInjector(InstrumentationLookup lookup) {
    this(lookup, false);
  }

  /**
   * @param honourOpenTelemetryAnnotations whether the OpenTelemetry operator's {@code
   *     instrumentation.opentelemetry.io/inject-*}, {@code container-names}, {@code
   *     otel-python-platform} and {@code otel-dotnet-auto-runtime} annotations count too (Vigil's
   *     own win where both are set)
   */
  public PodInjector(InstrumentationLookup lookup, boolean honourOpenTelemetryAnnotations) {
    this.lookup = lookup;
    this.honourOpenTelemetryAnnotations = honourOpenTelemetryAnnotations;
  }

  /**
   * The pod as it should be admitted, and what to tell the user. Never throws for user input and
   * never modifies {@code pod}.
   *
   * @param pod the pod as the API server sent it
   * @param namespace the pod's namespace (the AdmissionRequest's: a new pod may carry none)
   * @param namespaceAnnotations the annotations of that namespace (empty when unknown)
   */
  public InjectionResult inject(
      Pod pod, String namespace, Map<String, String> namespaceAnnotations) {
    Pod copy = SERIALIZATION.clone(pod);
    try {
      return inject(
          copy, namespace, namespaceAnnotations == null ? Map.of() : namespaceAnnotations, pod);
    } catch (RuntimeException e) {
      return new InjectionResult(
          SERIALIZATION.clone(pod),
          List.of("Vigil could not instrument this pod and admitted it unchanged: " + e),
          Optional.empty());
    }
  }

  private InjectionResult inject(
      Pod pod, String namespace, Map<String, String> namespaceAnnotations, Pod original) {
    ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
    Map<String, String> annotations =
        meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    InjectionRequest request =
        InjectionRequest.of(annotations, namespaceAnnotations, honourOpenTelemetryAnnotations);
    List<String> warnings = new ArrayList<>(request.warnings());
    if (alreadyInjected(pod)) {
      return unchanged(
          original,
          List.of(),
          Optional.ofNullable(annotations.get(InjectionAnnotations.INSTRUMENTED_BY)));
    }
    if (request.asked().isEmpty()) {
      return unchanged(original, warnings, Optional.empty());
    }
    if (pod.getSpec() == null
        || pod.getSpec().getContainers() == null
        || pod.getSpec().getContainers().isEmpty()) {
      warnings.add(
          request.asked().get(0).annotation() + ": the pod has no container to instrument");
      return unchanged(original, warnings, Optional.empty());
    }
    if (honourOpenTelemetryAnnotations && openTelemetryInjected(pod)) {
      warnings.add(
          "the OpenTelemetry operator already instrumented this pod; Vigil left it as it is");
      return unchanged(original, warnings, Optional.empty());
    }
    if (request.asked().size() > 1) {
      warnings.add(
          "the pod asks for "
              + String.join(
                  " and ",
                  request.asked().stream().map(a -> a.annotation() + "=" + a.reference()).toList())
              + ": Vigil instruments one language per pod; set the others to \"false\" on the pod");
      return unchanged(original, warnings, Optional.empty());
    }
    InjectionRequest.Asked asked = request.asked().get(0);
    Language language = asked.language();
    Resolution resolution =
        lookup.find(
            namespace,
            asked.reference(),
            asked.annotation().startsWith(InjectionAnnotations.OPENTELEMETRY_PREFIX));
    if (resolution.found().isEmpty()) {
      warnings.add(asked.annotation() + ": " + resolution.problem());
      return unchanged(original, warnings, Optional.empty());
    }
    ResolvedInstrumentation instrumentation = resolution.found().get();
    InstrumentationSpec spec = instrumentation.spec();
    LanguageSpec languageSpec = language.spec(spec);
    if (languageSpec != null && Boolean.FALSE.equals(languageSpec.enabled)) {
      warnings.add(
          asked.annotation()
              + ": Instrumentation "
              + instrumentation.key()
              + " does not offer "
              + language.id()
              + " (spec."
              + language.id()
              + ".enabled is false); name another Instrumentation or enable it");
      return unchanged(original, warnings, Optional.empty());
    }
    InstrumentationSpec.Protocol protocol =
        language == Language.PYTHON
            ? InstrumentationSpec.Protocol.HTTP_PROTOBUF
            : spec.protocol == null ? InstrumentationSpec.Protocol.HTTP_PROTOBUF : spec.protocol;
    String endpoint = instrumentation.endpoints().url(protocol);
    if (endpoint == null) {
      warnings.add(
          asked.annotation()
              + ": Instrumentation "
              + instrumentation.key()
              + " has no endpoint for "
              + protocol.value()
              + (spec.tracingPipeline == null
                  ? ""
                  : ": its TracingPipeline's OTLP "
                      + (protocol == InstrumentationSpec.Protocol.GRPC ? "gRPC" : "HTTP")
                      + " receiver is off; turn it on"
                      + (language == Language.PYTHON
                          ? " (Python sends http/protobuf only)"
                          : " or change spec.protocol")));
      return unchanged(original, warnings, Optional.empty());
    }
    List<Container> targets = new ArrayList<>();
    String containerProblem = chooseContainers(pod, annotations, targets);
    if (containerProblem != null) {
      warnings.add(containerProblem);
      return unchanged(original, warnings, Optional.empty());
    }
    for (Container container : targets) {
      String hookProblem = hookProblem(language, container);
      if (hookProblem != null) {
        warnings.add(hookProblem);
        return unchanged(original, warnings, Optional.empty());
      }
    }
    if (language == Language.PYTHON && spec.protocol == InstrumentationSpec.Protocol.GRPC) {
      warnings.add(
          "Instrumentation "
              + instrumentation.key()
              + " says grpc, but Python's auto-instrumentation sends http/protobuf only: this pod"
              + " sends to "
              + endpoint
              + (spec.endpoint == null ? "" : ", which must accept OTLP over HTTP"));
    }
    warnings.addAll(instrumentation.notes());

    boolean musl = musl(annotations);
    PodOwner owner = PodOwner.of(meta);
    for (Container container : targets) {
      container.setEnv(
          ContainerEnv.of(
              container, language, instrumentation, protocol, endpoint, owner, namespace, musl));
      List<io.fabric8.kubernetes.api.model.VolumeMount> mounts =
          container.getVolumeMounts() == null
              ? new ArrayList<>()
              : new ArrayList<>(container.getVolumeMounts());
      mounts.add(PodParts.mount(language.volumeName(), language.mountPath(), false));
      container.setVolumeMounts(mounts);
    }
    List<Volume> volumes =
        pod.getSpec().getVolumes() == null
            ? new ArrayList<>()
            : new ArrayList<>(pod.getSpec().getVolumes());
    volumes.add(volume(language, languageSpec));
    pod.getSpec().setVolumes(volumes);
    List<Container> inits =
        pod.getSpec().getInitContainers() == null
            ? new ArrayList<>()
            : new ArrayList<>(pod.getSpec().getInitContainers());
    inits.add(initContainer(language, languageSpec, targets.get(0), musl));
    pod.getSpec().setInitContainers(inits);
    mark(pod, meta, language, instrumentation);
    return new InjectionResult(pod, warnings, Optional.of(instrumentation.key()));
  }

  /**
   * The containers to instrument, into {@code into}; or why there are none. {@code container-names}
   * lists them, else the first container.
   */
  private String chooseContainers(Pod pod, Map<String, String> annotations, List<Container> into) {
    String key = InjectionAnnotations.PREFIX + InjectionAnnotations.CONTAINER_NAMES;
    String names = annotations.get(key);
    if (names == null && honourOpenTelemetryAnnotations) {
      key = InjectionAnnotations.OPENTELEMETRY_PREFIX + InjectionAnnotations.CONTAINER_NAMES;
      names = annotations.get(key);
    }
    List<Container> containers = pod.getSpec().getContainers();
    if (names == null || names.isBlank()) {
      into.add(containers.get(0));
      return null;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : names.split(",")) {
      if (!name.isBlank()) {
        wanted.add(name.trim());
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : wanted) {
      Optional<Container> found =
          containers.stream().filter(c -> name.equals(c.getName())).findFirst();
      if (found.isPresent()) {
        into.add(found.get());
      } else {
        missing.add(name);
      }
    }
    if (!missing.isEmpty() || into.isEmpty()) {
      return key
          + " names "
          + (missing.isEmpty() ? "no container" : String.join(", ", missing))
          + ", not a container of this pod (its containers: "
          + String.join(", ", containers.stream().map(Container::getName).toList())
          + "); init containers are not instrumented";
    }
    return null;
  }

  /** Why the language's hook cannot be added to the container, or null. */
  private static String hookProblem(Language language, Container container) {
    for (String name : ContainerEnv.hookVariables(language)) {
      Optional<EnvVar> set = ContainerEnv.find(container.getEnv(), name);
      if (set.isPresent() && set.get().getValueFrom() != null) {
        return "container "
            + container.getName()
            + " sets "
            + name
            + " from a Secret, ConfigMap or field, which Vigil cannot extend to load the "
            + language.id()
            + " agent: set it as a value, or add the agent yourself";
      }
    }
    if (language == Language.DOTNET
        && ContainerEnv.find(container.getEnv(), "OTEL_DOTNET_AUTO_HOME").isPresent()) {
      return "container "
          + container.getName()
          + " sets OTEL_DOTNET_AUTO_HOME: it carries .NET auto-instrumentation already; remove"
          + " the variable or the annotation";
    }
    return null;
  }

  private boolean musl(Map<String, String> annotations) {
    if (annotations.containsKey(InjectionAnnotations.LIBC)) {
      return "musl".equalsIgnoreCase(annotations.get(InjectionAnnotations.LIBC).trim());
    }
    if (!honourOpenTelemetryAnnotations) {
      return false;
    }
    return "musl"
            .equalsIgnoreCase(
                annotations.getOrDefault(InjectionAnnotations.OPENTELEMETRY_PYTHON_PLATFORM, ""))
        || annotations
            .getOrDefault(InjectionAnnotations.OPENTELEMETRY_DOTNET_RUNTIME, "")
            .startsWith("linux-musl");
  }

  private static Volume volume(Language language, LanguageSpec spec) {
    // Parsed again from its text: a quantity read as the API server stores it keeps its whole
    // text as the amount, which the volume's builder would cut to the number.
    Quantity size =
        new Quantity(
            spec == null || spec.volumeSizeLimit == null
                ? DEFAULT_VOLUME_SIZE_LIMIT
                : spec.volumeSizeLimit.toString());
    return new VolumeBuilder()
        .withName(language.volumeName())
        .withNewEmptyDir()
        .withSizeLimit(size)
        .endEmptyDir()
        .build();
  }

  /**
   * Copies the payload into the shared volume, with the security context of the first container
   * instrumented, as the OpenTelemetry operator does: a namespace that enforces the restricted Pod
   * Security Standard admits it, and the files belong to the application's user.
   */
  private static Container initContainer(
      Language language, LanguageSpec spec, Container first, boolean musl) {
    String image =
        spec == null || spec.image == null || spec.image.isBlank()
            ? language.defaultImage()
            : spec.image;
    return new ContainerBuilder()
        .withName(language.initContainerName())
        .withImage(image)
        .withCommand(language.copyCommand(musl))
        .withResources(
            DefaultResources.AUTO_INSTRUMENTATION.or(spec == null ? null : spec.resources))
        .withSecurityContext(
            first.getSecurityContext() == null
                ? null
                : SERIALIZATION.clone(first.getSecurityContext()))
        .withVolumeMounts(PodParts.mount(language.volumeName(), language.mountPath(), false))
        .build();
  }

  /** The annotations that make the pod's injection visible, idempotent and countable. */
  private static void mark(
      Pod pod, ObjectMeta meta, Language language, ResolvedInstrumentation instrumentation) {
    Map<String, String> annotations =
        meta.getAnnotations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(meta.getAnnotations());
    annotations.put(InjectionAnnotations.INJECTED, language.id());
    annotations.put(InjectionAnnotations.INSTRUMENTED_BY, instrumentation.key());
    meta.setAnnotations(annotations);
    if (LABEL_VALUE.matcher(instrumentation.name()).matches()) {
      Map<String, String> labels =
          meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
      labels.put(InjectionAnnotations.INSTRUMENTATION_LABEL, instrumentation.name());
      meta.setLabels(labels);
    }
    pod.setMetadata(meta);
  }

  /** Vigil's mark, or one of its init containers: injected at an earlier admission. */
  static boolean alreadyInjected(Pod pod) {
    if (pod.getMetadata() != null
        && pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey(InjectionAnnotations.INJECTED)) {
      return true;
    }
    return pod.getSpec() != null
        && pod.getSpec().getInitContainers() != null
        && pod.getSpec().getInitContainers().stream()
            .anyMatch(
                c ->
                    c.getName() != null
                        && c.getName().startsWith(InjectionAnnotations.INIT_CONTAINER_PREFIX));
  }

  private static boolean openTelemetryInjected(Pod pod) {
    return pod.getSpec().getInitContainers() != null
        && pod.getSpec().getInitContainers().stream()
            .anyMatch(
                c ->
                    c.getName() != null
                        && c.getName()
                            .startsWith(InjectionAnnotations.OPENTELEMETRY_INIT_CONTAINER_PREFIX));
  }

  /** {@code <namespace>/<name>} of the Instrumentation a pod was injected with, if any. */
  public static Optional<String> instrumentedBy(Pod pod) {
    if (pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        pod.getMetadata().getAnnotations().get(InjectionAnnotations.INSTRUMENTED_BY));
  }

  private static InjectionResult unchanged(
      Pod original, List<String> warnings, Optional<String> instrumentedBy) {
    return new InjectionResult(SERIALIZATION.clone(original), warnings, instrumentedBy);
  }
}
