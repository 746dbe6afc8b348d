package dev.vigil.reconcilers.alertmanager;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.v1alpha1.alertpolicy.Receiver;
import dev.vigil.reconcilers.config.PartLeftOut;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regression found by the bad-input property test: a receiver without a name said "null". */
class ReceiverNamesTest {
  @Test
  void aMissingNameIsSaidSoNotPrintedAsNull() {
    assertThatThrownBy(() -> Receivers.names(List.of(new Receiver()), "spec.routing.receivers"))
        .isInstanceOf(PartLeftOut.class)
        .hasMessage(
            "spec.routing.receivers[0] has no name: give it 1 to 64 letters, digits, '_', '.' or"
                + " '-'");
  }
}
