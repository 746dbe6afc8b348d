package dev.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  @Test
  void padsColumnsIntoAMarkdownTable() {
    String table =
        ResultTable.render(
            List.of(
                new ResultTable.Row("A.run", "n=10", "1.250 ± 0.010", "ms/op"),
                new ResultTable.Row("A: moved", "", "0.0909", "fraction")));

    assertThat(table)
        .isEqualTo(
            """
            | Benchmark | Params | Result        | Unit     |
            |-----------|--------|---------------|----------|
            | A.run     | n=10   | 1.250 ± 0.010 | ms/op    |
            | A: moved  |        | 0.0909        | fraction |
            """);
  }

  @Test
  void addsATargetColumnWhenARowHasATarget() {
    String table =
        ResultTable.render(
            List.of(
                new ResultTable.Row("A.run", "", "0.450 ± 0.010", "ms/op", "< 5 ms"),
                new ResultTable.Row("A: size", "", "12.0", "KiB")));

    assertThat(table)
        .isEqualTo(
            """
            | Benchmark | Params | Result        | Unit  | Target |
            |-----------|--------|---------------|-------|--------|
            | A.run     |        | 0.450 ± 0.010 | ms/op | < 5 ms |
            | A: size   |        | 12.0          | KiB   |        |
            """);
  }
}
