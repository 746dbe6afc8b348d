package dev.vigil.operator.servicediscovery;

import dev.vigil.reconcilers.discovery.TargetGroup;
import java.util.List;
import java.util.Optional;

/** Where the HTTP SD endpoint reads targets from: the sharded result of discovery. */
public interface JobTargets {
  /**
   * The current target groups of a job on a shard, with a version that changes whenever they do.
   * Empty when the stack, shard or job is unknown.
   */
  Optional<Versioned> targets(String namespace, String stack, int shard, String job);

  /** Target groups and the version they belong to. */
  record Versioned(long version, List<TargetGroup> groups) {}
}
