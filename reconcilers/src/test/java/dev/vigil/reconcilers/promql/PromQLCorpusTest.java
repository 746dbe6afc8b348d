package dev.vigil.reconcilers.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every expression of the corpus is valid or invalid as marked (promtool agrees: see below). */
class PromQLCorpusTest {

  @Test
  void theCorpusIsLargeAndHasBothKinds() {
    List<Corpus> ours = Corpus.load("corpus.txt");
    assertThat(ours).hasSizeGreaterThan(800);
    assertThat(ours.stream().filter(Corpus::valid).count()).isGreaterThan(400);
    assertThat(ours.stream().filter(c -> !c.valid()).count()).isGreaterThan(300);
    assertThat(Corpus.load()).hasSizeGreaterThan(1900);
  }

  @Test
  void everyExpressionIsValidOrInvalidAsMarked() {
    StringBuilder wrong = new StringBuilder();
    for (Corpus c : Corpus.load()) {
      Optional<ParseError> error;
      try {
        error = PromQL.check(c.expression());
      } catch (RuntimeException e) {
        wrong.append("\n  ").append(c).append(" -> crashed: ").append(e);
        continue;
      }
      if (c.valid() && error.isPresent()) {
        wrong.append("\n  ").append(c).append(" -> refused: ").append(error.get());
      } else if (!c.valid() && error.isEmpty()) {
        wrong.append("\n  ").append(c).append(" -> accepted");
      }
    }
    assertThat(wrong).as("corpus expressions the parser gets wrong").isEmpty();
  }
}
