package dev.vigil.reconcilers.sharding;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The placement of one stack that balances series ({@link SeriesBalancer}): rendezvous hashing,
 * except for the targets moved off their rendezvous shard ("pins"), and the targets being handed
 * over, which no shard is served.
 *
 * <p>A move is made in two steps, so no target is ever on two shards' lists: {@link #release} takes
 * the targets off their shard; once that shard has surely read its new list, {@link #complete}
 * gives them to their new shard. In between they are scraped by neither, for at most the time the
 * caller waits.
 *
 * <p>It starts {@linkplain #ready() not ready}: its pins are not known until the shards have been
 * read, and {@link #adopt} takes where each target is scraped now as the truth, so a restart of the
 * operator moves nothing. Thread-safe: readers see one state, replaced whole by each change.
 */
public final class BalancedPlacement implements Placement {
  private record State(Map<String, Integer> pins, Set<String> handingOver, long version) {}

  private volatile State state = new State(Map.of(), Set.of(), 1);
  private volatile boolean ready;

  @Override
  public int shardOf(String targetKey, int shards) {
    State s = state;
    if (s.handingOver.contains(targetKey)) {
      return NOWHERE;
    }
    Integer pin = s.pins.get(targetKey);
    return pin != null && pin < shards ? pin : RendezvousSharding.shardOf(targetKey, shards);
  }

  @Override
  public long version() {
    return state.version;
  }

  @Override
  public boolean weighsSeries() {
    return true;
  }

  /** Whether the pins are known: the shards were read once, or could not be. */
  public boolean ready() {
    return ready;
  }

  /** Targets scraped away from their rendezvous shard. */
  public int pinned() {
    return state.pins.size();
  }

  /** Whether targets are being handed over now. */
  public boolean handingOver() {
    return !state.handingOver.isEmpty();
  }

  /**
   * Takes where each target is scraped now, by key, as its placement, and becomes ready; targets
   * not named go by rendezvous hashing.
   */
  public synchronized void adopt(Map<String, Integer> scrapedOn, int shards) {
    Map<String, Integer> pins = new HashMap<>();
    scrapedOn.forEach(
        (key, shard) -> {
          if (shard >= 0 && shard < shards && shard != RendezvousSharding.shardOf(key, shards)) {
            pins.put(key, shard);
          }
        });
    replace(pins, state.handingOver);
    ready = true;
  }

  /**
   * Becomes ready with the pins it has: nothing was moved, or the shards could not be read in time.
   */
  public void markReady() {
    ready = true;
  }

  /** Takes the moved targets off every shard: the first step of {@link SeriesBalancer}'s moves. */
  public synchronized void release(Collection<SeriesBalancer.Move> moves) {
    Set<String> handingOver = new HashSet<>(state.handingOver);
    moves.forEach(move -> handingOver.add(move.key()));
    replace(state.pins, handingOver);
  }

  /** Gives the released targets to their new shards: the second step. */
  public synchronized void complete(Collection<SeriesBalancer.Move> moves, int shards) {
    Map<String, Integer> pins = new HashMap<>(state.pins);
    Set<String> handingOver = new HashSet<>(state.handingOver);
    for (SeriesBalancer.Move move : moves) {
      handingOver.remove(move.key());
      if (move.to() == RendezvousSharding.shardOf(move.key(), shards)) {
        pins.remove(move.key());
      } else {
        pins.put(move.key(), move.to());
      }
    }
    replace(pins, handingOver);
  }

  /** Forgets the pins of targets that no longer exist, so the map does not grow with churn. */
  public synchronized void retain(Set<String> liveKeys) {
    Objects.requireNonNull(liveKeys, "liveKeys");
    if (!liveKeys.containsAll(state.pins.keySet())) {
      Map<String, Integer> pins = new HashMap<>(state.pins);
      pins.keySet().retainAll(liveKeys);
      replace(pins, state.handingOver);
    }
  }

  private void replace(Map<String, Integer> pins, Set<String> handingOver) {
    state = new State(Map.copyOf(pins), Set.copyOf(handingOver), state.version + 1);
  }

  @Override
  public String toString() {
    return "series-balanced, " + state.pins.size() + " pinned";
  }
}
