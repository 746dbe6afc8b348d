package dev.vigil.reconcilers.objects;

/** The name a Service is reached at from inside the cluster. */
public final class ServiceHost {
  private ServiceHost() {}

  /** The in-cluster host name of a Service: {@code <service>.<namespace>.svc}. */
  public static String of(String service, String namespace) {
    return service + "." + namespace + ".svc";
  }
}
