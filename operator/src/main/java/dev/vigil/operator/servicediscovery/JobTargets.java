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

  /**
   * Whether the stack's targets may be served: false while a stack that balances series has not yet
   * read where its shards scrape each target, so a restart of the operator moves nothing.
   * Prometheus keeps its last targets while it is answered 503.
   */
  default boolean placementKnown(String namespace, String stack) {
    return true;
  }

  /**
   * Registers a listener told of every job of a stack whose answers may have changed on any of its
   * shards (its targets, its shard count, the job itself coming or going), after the change.
   */
  void onChange(ChangeListener listener);

  /**
   * Target groups and the version they belong to. A version names its groups: two answers with the
   * same version, of any stack, shard or job, have the same groups, so the server renders them
   * once.
   */
  record Versioned(long version, List<TargetGroup> groups) {}

  /** Told that the answers of {@code job} of a stack may have changed on shards 0 to shards-1. */
  @FunctionalInterface
  interface ChangeListener {
    void changed(String namespace, String stack, String job, int shards);
  }
}
