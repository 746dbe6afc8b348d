package dev.vigil.reconcilers.injection;

import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.api.v1alpha1.instrumentation.LanguageSpec;
import dev.vigil.reconcilers.objects.PodParts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment of an instrumented container: the container's own variables first and untouched
 * (the hook variables extended), then, for each variable it does not set, in this order: the
 * language's extra variables, the downward-API variables the others refer to, the language's hook,
 * the service name, the exporter, propagators and sampler, and last {@code
 * OTEL_RESOURCE_ATTRIBUTES}, which refers to variables above it ({@code $(VAR)} reads only
 * variables defined earlier).
 */
final class ContainerEnv {
  static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
  static final String NODE_OPTIONS = "NODE_OPTIONS";
  static final String PYTHONPATH = "PYTHONPATH";
  static final String DOTNET_STARTUP_HOOKS = "DOTNET_STARTUP_HOOKS";
  static final String DOTNET_ADDITIONAL_DEPS = "DOTNET_ADDITIONAL_DEPS";
  static final String DOTNET_SHARED_STORE = "DOTNET_SHARED_STORE";

  /** The CLR profiler of OpenTelemetry .NET automatic instrumentation. */
  static final String DOTNET_PROFILER_ID = "{918728DD-259F-4A6A-AC2B-B85E1B658318}";

  private ContainerEnv() {}

  /** The variables Vigil extends to load the language's agent. */
  static List<String> hookVariables(Language language) {
    return switch (language) {
      case JAVA -> List.of(JAVA_TOOL_OPTIONS);
      case PYTHON -> List.of(PYTHONPATH);
      case NODEJS -> List.of(NODE_OPTIONS);
      case DOTNET -> List.of(DOTNET_STARTUP_HOOKS, DOTNET_ADDITIONAL_DEPS, DOTNET_SHARED_STORE);
    };
  }

  static Optional<EnvVar> find(List<EnvVar> env, String name) {
    return env == null
        ? Optional.empty()
        : env.stream().filter(e -> name.equals(e.getName())).findFirst();
  }

  static List<EnvVar> of(
      Container container,
      Language language,
      ResolvedInstrumentation instrumentation,
      InstrumentationSpec.Protocol protocol,
      String endpoint,
      PodOwner owner,
      String namespace,
      boolean musl) {
    List<EnvVar> env = new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
    InstrumentationSpec spec = instrumentation.spec();
    LanguageSpec languageSpec = language.spec(spec);
    if (languageSpec != null && languageSpec.env != null) {
      for (EnvVar extra : languageSpec.env) {
        if (extra != null && extra.getName() != null) {
          addIfAbsent(env, new EnvVarBuilder(extra).build());
        }
      }
    }
    if (instrumentation.endpoints().onNode()) {
      addIfAbsent(env, PodParts.fieldEnv(OtlpEndpoints.NODE_IP, "status.hostIP"));
    }
    addIfAbsent(env, PodParts.fieldEnv(PodInjector.POD_NAME, "metadata.name"));
    addIfAbsent(env, PodParts.fieldEnv(PodInjector.NODE_NAME, "spec.nodeName"));
    hook(env, language, musl);
    addIfAbsent(
        env,
        value(
            "OTEL_SERVICE_NAME",
            owner.serviceName() == null ? container.getName() : owner.serviceName()));
    addIfAbsent(env, value("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint));
    addIfAbsent(env, value("OTEL_EXPORTER_OTLP_PROTOCOL", protocol.value()));
    // Vigil's pipelines take traces only: metrics and logs would be refused at every export.
    addIfAbsent(env, value("OTEL_TRACES_EXPORTER", "otlp"));
    addIfAbsent(env, value("OTEL_METRICS_EXPORTER", "none"));
    addIfAbsent(env, value("OTEL_LOGS_EXPORTER", "none"));
    if (spec.propagators != null && !spec.propagators.isEmpty()) {
      Set<String> names = new LinkedHashSet<>();
      spec.propagators.stream().filter(p -> p != null).forEach(p -> names.add(p.name()));
      addIfAbsent(env, value("OTEL_PROPAGATORS", String.join(",", names)));
    }
    if (spec.sampler != null
        && spec.sampler.type != null
        && find(env, "OTEL_TRACES_SAMPLER").isEmpty()
        && find(env, "OTEL_TRACES_SAMPLER_ARG").isEmpty()) {
      env.add(value("OTEL_TRACES_SAMPLER", spec.sampler.type.name()));
      if (spec.sampler.argument != null) {
        env.add(value("OTEL_TRACES_SAMPLER_ARG", spec.sampler.argument.trim()));
      }
    }
    resourceAttributes(env, container, spec, owner, namespace);
    return env;
  }

  /** The variable that loads the agent, extended where the container sets it already. */
  private static void hook(List<EnvVar> env, Language language, boolean musl) {
    String home = language.mountPath();
    switch (language) {
      case JAVA -> append(env, JAVA_TOOL_OPTIONS, "-javaagent:" + home + "/javaagent.jar", " ");
      case NODEJS ->
          append(env, NODE_OPTIONS, "--require " + home + "/autoinstrumentation.js", " ");
      case PYTHON -> {
        // The auto_instrumentation directory first: its sitecustomize.py loads the SDK.
        String first = home + "/opentelemetry/instrumentation/auto_instrumentation";
        Optional<EnvVar> set = find(env, PYTHONPATH);
        if (set.isEmpty()) {
          env.add(value(PYTHONPATH, first + ":" + home));
        } else if (set.get().getValue() == null || set.get().getValue().isEmpty()) {
          set.get().setValue(first + ":" + home);
        } else {
          set.get().setValue(first + ":" + set.get().getValue() + ":" + home);
        }
      }
      case DOTNET -> {
        addIfAbsent(env, value("CORECLR_ENABLE_PROFILING", "1"));
        addIfAbsent(env, value("CORECLR_PROFILER", DOTNET_PROFILER_ID));
        addIfAbsent(
            env,
            value(
                "CORECLR_PROFILER_PATH",
                home
                    + (musl ? "/linux-musl" : "/linux")
                    + "/OpenTelemetry.AutoInstrumentation.Native.so"));
        append(
            env,
            DOTNET_STARTUP_HOOKS,
            home + "/net/OpenTelemetry.AutoInstrumentation.StartupHook.dll",
            ":");
        append(env, DOTNET_ADDITIONAL_DEPS, home + "/AdditionalDeps", ":");
        addIfAbsent(env, value("OTEL_DOTNET_AUTO_HOME", home));
        append(env, DOTNET_SHARED_STORE, home + "/store", ":");
      }
    }
  }

  /**
   * {@code OTEL_RESOURCE_ATTRIBUTES}, moved last: the Instrumentation's attributes, overridden by
   * the Kubernetes ones, overridden by those the container's own value sets (kept first).
   */
  private static void resourceAttributes(
      List<EnvVar> env,
      Container container,
      InstrumentationSpec spec,
      PodOwner owner,
      String namespace) {
    Optional<EnvVar> own = find(env, PodInjector.RESOURCE_ATTRIBUTES);
    if (own.isPresent() && own.get().getValueFrom() != null) {
      return; // read from elsewhere: the container's to keep, whole
    }
    String ownValue = own.map(EnvVar::getValue).orElse("");
    ownValue = ownValue == null ? "" : ownValue.trim();
    Set<String> ownKeys = new LinkedHashSet<>();
    for (String pair : ownValue.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        ownKeys.add(pair.substring(0, eq).trim());
      }
    }
    Map<String, String> attributes = new TreeMap<>();
    if (spec.resourceAttributes != null) {
      spec.resourceAttributes.forEach(
          (key, value) -> {
            if (key != null && value != null) {
              attributes.put(key, value);
            }
          });
    }
    attributes.put("k8s.namespace.name", namespace);
    attributes.put("k8s.pod.name", "$(" + PodInjector.POD_NAME + ")");
    attributes.put("k8s.node.name", "$(" + PodInjector.NODE_NAME + ")");
    attributes.put("k8s.container.name", container.getName());
    attributes.putAll(owner.attributes());
    String version = ImageVersion.of(container.getImage());
    if (version != null) {
      attributes.put("service.version", version);
    }
    ownKeys.forEach(attributes::remove);
    List<String> pairs = new ArrayList<>();
    attributes.forEach((key, value) -> pairs.add(key + "=" + value));
    String ours = String.join(",", pairs);
    String value =
        ownValue.isEmpty()
            ? ours
            : ours.isEmpty() ? ownValue : ownValue + (ownValue.endsWith(",") ? "" : ",") + ours;
    own.ifPresent(env::remove);
    env.add(value(PodInjector.RESOURCE_ATTRIBUTES, value));
  }

  /** Appends {@code value} to a variable the container sets, or sets it. */
  private static void append(List<EnvVar> env, String name, String value, String separator) {
    Optional<EnvVar> set = find(env, name);
    if (set.isEmpty()) {
      env.add(value(name, value));
    } else if (set.get().getValue() == null || set.get().getValue().isEmpty()) {
      set.get().setValue(value);
    } else if (!set.get().getValue().contains(value)) {
      set.get().setValue(set.get().getValue() + separator + value);
    }
  }

  private static void addIfAbsent(List<EnvVar> env, EnvVar var) {
    if (find(env, var.getName()).isEmpty()) {
      env.add(var);
    }
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
