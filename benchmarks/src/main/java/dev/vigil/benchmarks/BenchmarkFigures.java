package dev.vigil.benchmarks;

import java.util.List;

/**
 * Implemented by a benchmark class that also has figures worth reporting that are not timings
 * (balance, targets moved): {@link BenchmarkMain} creates the class with its no-argument
 * constructor after the run and adds these rows to the table. They must be deterministic and must
 * not depend on JMH having set {@code @Param} fields.
 */
public interface BenchmarkFigures {
  List<ResultTable.Row> figures();
}
