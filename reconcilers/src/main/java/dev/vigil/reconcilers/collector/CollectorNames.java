package dev.vigil.reconcilers.collector;

/**
 * The names of the Services a TracingPipeline's configuration files point at, in one place: the
 * dependents that create those Services must use these same functions.
 */
public final class CollectorNames {
  private CollectorNames() {}

  /** The Service in front of a pipeline's collectors: {@code <pipeline>-collector}. */
  public static String collectorService(String pipeline) {
    return pipeline + "-collector";
  }

  /** The Service in front of a pipeline's Jaeger backend: {@code <pipeline>-jaeger}. */
  public static String jaegerService(String pipeline) {
    return pipeline + "-jaeger";
  }

  /** The in-cluster host name of a Service: {@code <service>.<namespace>.svc}. */
  public static String serviceHost(String service, String namespace) {
    return service + "." + namespace + ".svc";
  }
}
