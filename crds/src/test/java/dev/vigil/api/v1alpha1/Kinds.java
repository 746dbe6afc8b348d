package dev.vigil.api.v1alpha1;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Map;

/** Every kind of the API, for tests that go over all of them. */
final class Kinds {
  static final List<Class<? extends CustomResource<?, ?>>> ALL =
      List.of(
          MonitoringStack.class,
          ServiceMonitor.class,
          PodMonitor.class,
          AlertPolicy.class,
          TracingPipeline.class,
          Instrumentation.class,
          LogPipeline.class);

  static final Map<String, Class<? extends HasMetadata>> BY_KIND =
      Map.of(
          "MonitoringStack", MonitoringStack.class,
          "ServiceMonitor", ServiceMonitor.class,
          "PodMonitor", PodMonitor.class,
          "AlertPolicy", AlertPolicy.class,
          "TracingPipeline", TracingPipeline.class,
          "Instrumentation", Instrumentation.class,
          "LogPipeline", LogPipeline.class);

  private Kinds() {}
}
