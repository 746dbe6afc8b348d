package dev.vigil.reconcilers.victorialogs;

import dev.vigil.api.v1alpha1.logpipeline.LogPipeline;
import dev.vigil.api.v1alpha1.logpipeline.VictoriaLogsSpec;
import dev.vigil.reconcilers.objects.ServiceHost;

/**
 * The Service in front of a LogPipeline's VictoriaLogs and the URL it is reached at: the pipeline's
 * StatefulSet and Service are named with it, its agents send to it, and the Grafana of every stack
 * that selects the pipeline's namespace queries it.
 */
public final class VictoriaLogsNames {
  /** VictoriaLogs' HTTP port: OTLP in, LogsQL out, {@code /health}. */
  public static final int PORT = 9428;

  private VictoriaLogsNames() {}

  /** The pipeline's {@code spec.backends.victoriaLogs}, or null when it runs none. */
  public static VictoriaLogsSpec spec(LogPipeline pipeline) {
    return pipeline.getSpec() == null || pipeline.getSpec().backends == null
        ? null
        : pipeline.getSpec().backends.victoriaLogs;
  }

  /** Whether the pipeline runs a VictoriaLogs. */
  public static boolean enabled(LogPipeline pipeline) {
    return spec(pipeline) != null;
  }

  /** The StatefulSet and Service of a pipeline's VictoriaLogs: {@code <pipeline>-victorialogs}. */
  public static String service(String pipeline) {
    return pipeline + "-victorialogs";
  }

  /** The in-cluster base URL: {@code http://<pipeline>-victorialogs.<namespace>.svc:9428}. */
  public static String url(LogPipeline pipeline) {
    return "http://"
        + ServiceHost.of(
            service(pipeline.getMetadata().getName()), pipeline.getMetadata().getNamespace())
        + ":"
        + PORT;
  }
}
