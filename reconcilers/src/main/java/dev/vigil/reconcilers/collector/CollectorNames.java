package dev.vigil.reconcilers.collector;

/**
 * The name of the Service in front of a pipeline's collectors, in one place: the configuration of
 * an agent exporting to a gateway pipeline points at it, and the dependents that make the gateway's
 * objects are named with it.
 */
public final class CollectorNames {
  private CollectorNames() {}

  /** The Service in front of a pipeline's collectors: {@code <pipeline>-collector}. */
  public static String service(String pipeline) {
    return pipeline + "-collector";
  }
}
