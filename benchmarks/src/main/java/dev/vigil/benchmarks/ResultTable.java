package dev.vigil.benchmarks;

import java.util.List;

/**
 * The summary printed after a run: one row per measured benchmark or reported figure, as a Markdown
 * table whose columns are padded to line up, so it reads in a terminal and pastes into {@code
 * docs/performance.md} unchanged.
 */
final class ResultTable {
  private static final List<String> HEADER = List.of("Benchmark", "Params", "Result", "Unit");

  /**
   * One line of the table.
   *
   * @param benchmark class and method, or class and figure name
   * @param params the JMH parameters, {@code name=value} sorted by name
   * @param result the score with its error, or a figure's value
   * @param unit {@code ms/op} and the like, or what a figure is measured against
   */
  record Row(String benchmark, String params, String result, String unit) {
    List<String> cells() {
      return List.of(benchmark, params, result, unit);
    }
  }

  private ResultTable() {}

  static String render(List<Row> rows) {
    int[] widths = new int[HEADER.size()];
    for (int column = 0; column < widths.length; column++) {
      widths[column] = HEADER.get(column).length();
      for (Row row : rows) {
        widths[column] = Math.max(widths[column], row.cells().get(column).length());
      }
    }
    StringBuilder table = new StringBuilder();
    appendLine(table, HEADER, widths);
    table.append('|');
    for (int width : widths) {
      table.append('-').append("-".repeat(width)).append("-|");
    }
    table.append('\n');
    for (Row row : rows) {
      appendLine(table, row.cells(), widths);
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
