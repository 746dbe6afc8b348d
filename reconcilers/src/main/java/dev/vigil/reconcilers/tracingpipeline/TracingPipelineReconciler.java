package dev.vigil.reconcilers.tracingpipeline;

import dev.vigil.api.v1alpha1.tracingpipeline.GatewayReference;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipelineStatus;
import dev.vigil.reconcilers.status.ValidatingReconciler;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reconciles TracingPipelines: checks them and reports what Vigil makes of them. */
@ControllerConfiguration(name = "tracingpipeline", fieldManager = "vigil")
public class TracingPipelineReconciler
    extends ValidatingReconciler<TracingPipeline, TracingPipelineStatus> {
  public TracingPipelineReconciler(Clock clock) {
    super(clock, TracingPipeline::new, TracingPipelineStatus::new);
  }

  @Override
  protected List<String> validate(TracingPipeline pipeline) {
    List<String> problems = new ArrayList<>();
    GatewayReference gateway =
        pipeline.getSpec().exporters == null ? null : pipeline.getSpec().exporters.gateway;
    if (gateway != null) {
      String namespace =
          Objects.requireNonNullElse(gateway.namespace, pipeline.getMetadata().getNamespace());
      if (gateway.name.equals(pipeline.getMetadata().getName())
          && namespace.equals(pipeline.getMetadata().getNamespace())) {
        problems.add(
            "spec.exporters.gateway names this pipeline itself: name another TracingPipeline in"
                + " gateway mode");
      }
    }
    return problems;
  }

  @Override
  protected String pendingMessage(TracingPipeline pipeline) {
    return "The spec is valid; this Vigil build does not deploy collectors yet.";
  }
}
