package dev.vigil.reconcilers.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  static final Clock T1 = Clock.fixed(Instant.parse("2026-01-01T10:00:00.123Z"), ZoneOffset.UTC);
  static final Clock T2 = Clock.fixed(Instant.parse("2026-01-01T11:00:00Z"), ZoneOffset.UTC);

  @Test
  void newConditionStartsNowAtSecondPrecisionSortedByType() {
    List<Condition> conditions =
        new Conditions(null, 3, T1)
            .set(Conditions.RECONCILED, Conditions.TRUE, "Validated", "ok")
            .set(Conditions.READY, Conditions.FALSE, "InvalidSpec", "fix x")
            .build();
    assertThat(conditions).extracting(Condition::getType).containsExactly("Ready", "Reconciled");
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(conditions.get(0).getObservedGeneration()).isEqualTo(3L);
    assertThat(conditions.get(0).getMessage()).isEqualTo("fix x");
  }

  @Test
  void unchangedStatusKeepsItsTransitionTimeAndAChangeMovesIt() {
    List<Condition> first =
        new Conditions(null, 1, T1).set(Conditions.READY, Conditions.FALSE, "A", "one").build();

    List<Condition> same =
        new Conditions(first, 2, T2).set(Conditions.READY, Conditions.FALSE, "B", "two").build();
    assertThat(same.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(same.get(0).getReason()).isEqualTo("B");

    List<Condition> flipped =
        new Conditions(same, 2, T2).set(Conditions.READY, Conditions.TRUE, "C", "three").build();
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T11:00:00Z");
  }

  @Test
  void sameInputGivesEqualConditions() {
    List<Condition> a =
        new Conditions(null, 1, T1).set(Conditions.READY, Conditions.TRUE, "R", "m").build();
    List<Condition> b =
        new Conditions(a, 1, T2).set(Conditions.READY, Conditions.TRUE, "R", "m").build();
    assertThat(b).isEqualTo(a);
  }
}
