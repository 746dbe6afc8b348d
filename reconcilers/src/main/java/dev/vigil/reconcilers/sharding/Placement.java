package dev.vigil.reconcilers.sharding;

/**
 * Which shard of a stack scrapes a target, by its key ({@link RendezvousSharding#targetKey}):
 * {@link #RENDEZVOUS} for every stack that balances target counts, a {@link BalancedPlacement} of
 * its own for a stack that balances series.
 */
public interface Placement {
  /** The shard of a target that is being handed from one shard to another: served by none. */
  int NOWHERE = -2;

  /** The shard, in {@code [0, shards)}, of the target with this key; or {@link #NOWHERE}. */
  int shardOf(String targetKey, int shards);

  /** Changes whenever {@link #shardOf} may answer differently; never goes back. */
  long version();

  /**
   * Whether the jobs placed by it keep each target's key and label fingerprint, so the series their
   * shards read can be weighed per target ({@link ShardedJob#forEachTarget}).
   */
  boolean weighsSeries();

  /** Rendezvous hashing alone: fixed, shared by every stack that balances target counts. */
  Placement RENDEZVOUS =
      new Placement() {
        @Override
        public int shardOf(String targetKey, int shards) {
          return RendezvousSharding.shardOf(targetKey, shards);
        }

        @Override
        public long version() {
          return 0;
        }

        @Override
        public boolean weighsSeries() {
          return false;
        }

        @Override
        public String toString() {
          return "rendezvous";
        }
      };
}
