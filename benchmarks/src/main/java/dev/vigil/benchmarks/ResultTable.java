package dev.vigil.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The summary printed after a run: one row per measured benchmark or reported figure, as a Markdown
 * table whose columns are padded to line up, so it reads in a terminal and pastes into {@code
 * docs/performance.md} unchanged. A Target column is added when any row has a target.
 */
final class ResultTable {
  private static final List<String> HEADER = List.of("Benchmark", "Params", "Result", "Unit");
  private static final String TARGET = "Target";

  /**
   * One line of the table.
   *
   * @param benchmark class and method, or class and figure name
   * @param params the JMH parameters, {@code name=value} sorted by name
   * @param result the score with its error, or a figure's value
   * @param unit {@code ms/op} and the like, or what a figure is measured against
   * @param target the figure the result must stay under ({@code < 5 ms}), or empty
   */
  record Row(String benchmark, String params, String result, String unit, String target) {
    Row(String benchmark, String params, String result, String unit) {
      this(benchmark, params, result, unit, "");
    }

    List<String> cells(boolean withTarget) {
      return withTarget
          ? List.of(benchmark, params, result, unit, target)
          : List.of(benchmark, params, result, unit);
    }
  }

  private ResultTable() {}

  static String render(List<Row> rows) {
    boolean withTarget = rows.stream().anyMatch(row -> !row.target().isEmpty());
    List<String> header = new ArrayList<>(HEADER);
    if (withTarget) {
      header.add(TARGET);
    }
    int[] widths = new int[header.size()];
    for (int column = 0; column < widths.length; column++) {
      widths[column] = header.get(column).length();
      for (Row row : rows) {
        widths[column] = Math.max(widths[column], row.cells(withTarget).get(column).length());
      }
    }
    StringBuilder table = new StringBuilder();
    appendLine(table, header, widths);
    table.append('|');
    for (int width : widths) {
      table.append('-').append("-".repeat(width)).append("-|");
    }
    table.append('\n');
    for (Row row : rows) {
      appendLine(table, row.cells(withTarget), widths);
    }
    return table.toString();
  }

  private static void appendLine(StringBuilder table, List<String> cells, int[] widths) {
    table.append('|');
    for (int column = 0; column < widths.length; column++) {
      String cell = cells.get(column);
      table
          .append(' ')
          .append(cell)
          .append(" ".repeat(widths[column] - cell.length()))
          .append(" |");
    }
    table.append('\n');
  }
}
