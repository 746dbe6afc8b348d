package dev.vigil.reconcilers.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Builds a status's conditions from the previous ones: a condition whose status did not change
 * keeps its lastTransitionTime, so an unchanged world gives an identical status and no write.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILED = "Reconciled";
  public static final String ACCEPTED = "Accepted";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private final List<Condition> previous;
  private final long generation;
  private final Clock clock;
  private final List<Condition> next = new ArrayList<>();

  public Conditions(List<Condition> previous, long generation, Clock clock) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.clock = clock;
  }

  /** Sets a condition; its message should say what to fix when status is not the good one. */
  public Conditions set(String type, String status, String reason, String message) {
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElseGet(this::now);
    next.removeIf(c -> type.equals(c.getType()));
    next.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build());
    return this;
  }

  /** The conditions set, ordered by type so the status is stable. */
  public List<Condition> build() {
    List<Condition> sorted = new ArrayList<>(next);
    sorted.sort(Comparator.comparing(Condition::getType));
    return sorted;
  }

  private String now() {
    // Kubernetes metav1.Time has second precision.
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
