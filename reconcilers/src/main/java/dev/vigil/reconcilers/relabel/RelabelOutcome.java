package dev.vigil.reconcilers.relabel;

import java.util.Collections;
import java.util.SortedMap;

/** What Prometheus makes of one discovered target of a job, see {@link TargetRelabeling}. */
public sealed interface RelabelOutcome {

  /**
   * The target is scraped with these labels: everything relabeling left but {@code __meta_*}, plus
   * {@code instance} (by default the address). Prometheus scrapes targets with equal labels once.
   */
  record Kept(SortedMap<String, String> labels) implements RelabelOutcome {
    /** Takes {@code labels} over: the caller must not change them afterwards. */
    public Kept {
      labels = Collections.unmodifiableSortedMap(labels);
    }

    public String address() {
      return labels.get(ScrapeDefaults.ADDRESS);
    }
  }

  /** A {@code keep}, {@code drop}, {@code keepequal} or {@code dropequal} rule dropped it. */
  record Dropped() implements RelabelOutcome {}

  /**
   * Prometheus refuses the relabeled target and logs {@code error} (no address, a {@code /} in the
   * address, a bad interval, ...): neither scraped nor listed as dropped.
   */
  record Failed(String error) implements RelabelOutcome {}

  /**
   * What Prometheus does depends on an order it leaves to chance (a {@code labelmap} writing two
   * different values to one label): Vigil does not guess.
   */
  record Undecided(String reason) implements RelabelOutcome {}
}
