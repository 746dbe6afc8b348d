package dev.vigil.reconcilers.instrumentation;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.api.v1alpha1.instrumentation.InstrumentationStatus;
import dev.vigil.api.v1alpha1.instrumentation.TracingPipelineReference;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.reconcilers.injection.CatalogLookup;
import dev.vigil.reconcilers.injection.InstrumentedPods;
import dev.vigil.reconcilers.injection.ResolvedInstrumentation;
import dev.vigil.reconcilers.status.Conditions;
import dev.vigil.reconcilers.status.Readiness;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import dev.vigil.reconcilers.validation.InstrumentationValidator;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reconciles Instrumentations: checks the spec, resolves the endpoint instrumented pods send to
 * (the TracingPipeline's collectors or {@code spec.endpoint}) and reports it, Ready while the
 * TracingPipeline exists and is Ready, and the number of pods carrying it. A TracingPipeline's
 * changes reach the Instrumentations naming it through an informer; pod counts through {@link
 * InstrumentedPods}, which the operator keeps from its one Pod cache.
 */
@ControllerConfiguration(name = "instrumentation", fieldManager = "vigil")
public class InstrumentationReconciler
    extends ValidatingReconciler<Instrumentation, InstrumentationStatus> {
  public static final String REASON_READY = "EndpointResolved";
  public static final String REASON_PIPELINE_NOT_FOUND = "TracingPipelineNotFound";
  public static final String REASON_PIPELINE_NOT_READY = "TracingPipelineNotReady";
  public static final String REASON_NO_RECEIVER = "NoReceiver";

  private final InstrumentedPods pods;
  private final SimpleInboundEventSource<Instrumentation> countChanges =
      new SimpleInboundEventSource<>("instrumented-pods");
  private volatile InformerEventSource<TracingPipeline, Instrumentation> pipelines;

  public InstrumentationReconciler(Clock clock, InstrumentedPods pods) {
    super(clock, new InstrumentationValidator(), Instrumentation::new, InstrumentationStatus::new);
    this.pods = pods;
    pods.onChange(
        changed -> {
          if (changed.getClass() == Instrumentation.class) {
            countChanges.propagateEvent(ResourceID.fromResource(changed));
          }
        });
  }

  @Override
  public List<EventSource<?, Instrumentation>> prepareEventSources(
      EventSourceContext<Instrumentation> context) {
    pipelines =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(TracingPipeline.class, Instrumentation.class)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    pipeline ->
                        context
                            .getPrimaryCache()
                            .list()
                            .filter(i -> names(i, pipeline))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(pipelines, countChanges);
  }

  /** Whether the Instrumentation sends to the pipeline. */
  static boolean names(Instrumentation instrumentation, TracingPipeline pipeline) {
    TracingPipelineReference reference =
        instrumentation.getSpec() == null ? null : instrumentation.getSpec().tracingPipeline;
    return reference != null
        && Objects.equals(reference.name, pipeline.getMetadata().getName())
        && Objects.equals(
            Objects.requireNonNullElse(
                reference.namespace, instrumentation.getMetadata().getNamespace()),
            pipeline.getMetadata().getNamespace());
  }

  @Override
  protected Readiness act(
      Instrumentation instrumentation,
      Context<Instrumentation> context,
      InstrumentationStatus status,
      Conditions conditions) {
    ResolvedInstrumentation resolved = CatalogLookup.resolve(instrumentation, this::pipeline);
    InstrumentationSpec spec = instrumentation.getSpec();
    InstrumentationSpec.Protocol protocol =
        spec.protocol == null ? InstrumentationSpec.Protocol.HTTP_PROTOBUF : spec.protocol;
    status.endpoint = resolved.endpoints().url(protocol);
    status.instrumentedPods = pods.count(instrumentation);
    TracingPipelineReference reference = spec.tracingPipeline;
    if (reference == null) {
      return Readiness.ready(
          REASON_READY, "Instrumented pods send spans to " + status.endpoint + ".");
    }
    String pipelineName =
        Objects.requireNonNullElse(
                reference.namespace, instrumentation.getMetadata().getNamespace())
            + "/"
            + reference.name;
    Optional<TracingPipeline> pipeline =
        pipeline(
            Objects.requireNonNullElse(
                reference.namespace, instrumentation.getMetadata().getNamespace()),
            reference.name);
    if (pipeline.isEmpty()) {
      String message =
          "spec.tracingPipeline: TracingPipeline "
              + pipelineName
              + " does not exist: create it or name another; pods admitted meanwhile send to "
              + status.endpoint
              + ", its Service's standard port";
      warnOnce(instrumentation, context, REASON_PIPELINE_NOT_FOUND, message);
      return Readiness.notReady(REASON_PIPELINE_NOT_FOUND, message);
    }
    if (status.endpoint == null) {
      String message =
          "spec.protocol "
              + protocol.value()
              + ": TracingPipeline "
              + pipelineName
              + " has its OTLP "
              + (protocol == InstrumentationSpec.Protocol.GRPC ? "gRPC" : "HTTP")
              + " receiver off: turn it on there, or change spec.protocol";
      warnOnce(instrumentation, context, REASON_NO_RECEIVER, message);
      return Readiness.notReady(REASON_NO_RECEIVER, message);
    }
    Optional<Condition> pipelineReady =
        pipeline.get().getStatus() == null
            ? Optional.empty()
            : pipeline.get().getStatus().condition(Conditions.READY);
    if (pipelineReady.isEmpty() || !Conditions.TRUE.equals(pipelineReady.get().getStatus())) {
      String message =
          "TracingPipeline "
              + pipelineName
              + " is not Ready"
              + pipelineReady.map(c -> " (" + c.getReason() + ")").orElse(" yet")
              + ": see its status; pods admitted meanwhile send to "
              + status.endpoint;
      warnOnce(instrumentation, context, REASON_PIPELINE_NOT_READY, message);
      return Readiness.notReady(REASON_PIPELINE_NOT_READY, message);
    }
    return Readiness.ready(
        REASON_READY,
        "Instrumented pods send spans to TracingPipeline "
            + pipelineName
            + " at "
            + status.endpoint
            + ".");
  }

  private Optional<TracingPipeline> pipeline(String namespace, String name) {
    InformerEventSource<TracingPipeline, Instrumentation> source = pipelines;
    return source == null ? Optional.empty() : source.get(new ResourceID(name, namespace));
  }
}
