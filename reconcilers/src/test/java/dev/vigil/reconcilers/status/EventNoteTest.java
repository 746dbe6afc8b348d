package dev.vigil.reconcilers.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Regression found by the bad-input property test on a real API server: a 1,024-character note with
 * "ünï" in it is more than 1,024 bytes, and the API server refused the Warning Event.
 */
class EventNoteTest {
  @Test
  void notesAreCutToTheApiServersByteLimitAtACharacterBoundary() {
    String note = "spec.endpoints[1].authorization.credentials.name \"ünï\" ".repeat(40);
    String cut = EventRecorder.truncate(note);
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
    assertThat(cut).endsWith("...").startsWith(note.substring(0, 900));
    assertThat(note).startsWith(cut.substring(0, cut.length() - 3));
    assertThat(EventRecorder.truncate("short ü")).isEqualTo("short ü");
    String emoji = "🚀".repeat(300); // 4 bytes each
    assertThat(EventRecorder.truncate(emoji).getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(1024);
  }
}
