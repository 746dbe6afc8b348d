package dev.vigil.reconcilers.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BalancedPlacementTest {
  static final String A = RendezvousSharding.targetKey("job", "10.0.0.1:80");
  static final String B = RendezvousSharding.targetKey("job", "10.0.0.2:80");

  static int other(String key, int shards) {
    return (RendezvousSharding.shardOf(key, shards) + 1) % shards;
  }

  @Test
  void startsNotReadyAsRendezvousHashingAndAdoptsWhereTargetsAreScraped() {
    BalancedPlacement placement = new BalancedPlacement();
    assertThat(placement.ready()).isFalse();
    assertThat(placement.shardOf(A, 3)).isEqualTo(RendezvousSharding.shardOf(A, 3));
    long version = placement.version();
    placement.adopt(Map.of(A, other(A, 3), B, RendezvousSharding.shardOf(B, 3)), 3);
    assertThat(placement.ready()).isTrue();
    assertThat(placement.version()).isGreaterThan(version);
    assertThat(placement.shardOf(A, 3)).isEqualTo(other(A, 3));
    assertThat(placement.shardOf(B, 3)).isEqualTo(RendezvousSharding.shardOf(B, 3));
    assertThat(placement.pinned()).as("only the target off its rendezvous shard").isEqualTo(1);
  }

  @Test
  void aMoveTakesTheTargetOffEveryShardFirstThenGivesItToItsNewShard() {
    BalancedPlacement placement = new BalancedPlacement();
    placement.markReady();
    int from = RendezvousSharding.shardOf(A, 4);
    int to = other(A, 4);
    List<SeriesBalancer.Move> moves = List.of(new SeriesBalancer.Move(A, from, to));
    placement.release(moves);
    assertThat(placement.shardOf(A, 4)).isEqualTo(Placement.NOWHERE);
    assertThat(placement.handingOver()).isTrue();
    placement.complete(moves, 4);
    assertThat(placement.shardOf(A, 4)).isEqualTo(to);
    assertThat(placement.handingOver()).isFalse();
    // Moving it back to its rendezvous shard forgets the pin.
    List<SeriesBalancer.Move> back = List.of(new SeriesBalancer.Move(A, to, from));
    placement.release(back);
    placement.complete(back, 4);
    assertThat(placement.pinned()).isZero();
    assertThat(placement.shardOf(A, 4)).isEqualTo(from);
  }

  @Test
  void aPinBeyondTheShardCountFallsBackToRendezvousAndGoneTargetsAreForgotten() {
    BalancedPlacement placement = new BalancedPlacement();
    placement.adopt(Map.of(A, 5), 6);
    assertThat(placement.shardOf(A, 6)).isEqualTo(5);
    assertThat(placement.shardOf(A, 3)).isEqualTo(RendezvousSharding.shardOf(A, 3));
    placement.retain(Set.of(B));
    assertThat(placement.pinned()).isZero();
  }
}
