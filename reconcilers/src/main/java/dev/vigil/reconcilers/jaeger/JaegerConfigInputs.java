package dev.vigil.reconcilers.jaeger;

import java.util.Optional;

/**
 * What {@link JaegerConfigBuilder} needs besides the pipeline.
 *
 * @param stacks finds the query URL a MonitoringStack reports ({@code status.queryUrl}: its
 *     Prometheus, or Thanos Query when it runs one), for {@code
 *     spec.exporters.jaeger.monitor.stack}; must be a pure lookup. Null: no stack exists
 * @param clusterWide whether the pipeline is in a platform namespace; a tenant's may name a stack
 *     in its own namespace only (docs/tenancy.md)
 */
public record JaegerConfigInputs(StackLookup stacks, boolean clusterWide) {
  public JaegerConfigInputs {
    stacks = stacks == null ? (namespace, name) -> Optional.empty() : stacks;
  }

  /** Inputs of a platform pipeline in a cluster without stacks. */
  public static JaegerConfigInputs of() {
    return new JaegerConfigInputs(null, true);
  }

  /** Reads a MonitoringStack's query URL; empty when there is no such stack or it has none yet. */
  @FunctionalInterface
  public interface StackLookup {
    Optional<String> queryUrl(String namespace, String name);
  }
}
