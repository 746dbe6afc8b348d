package dev.vigil.reconcilers.promql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus of PromQL expressions under {@code src/test/resources/promql/}: one a line after
 * {@code ok } or {@code err }; {@code #} lines are comments; {@code ⏎} stands for a newline.
 *
 * <ul>
 *   <li>{@code corpus.txt}: written for Vigil, section by section of the language;
 *   <li>{@code prometheus-parse-test.txt}: the inputs of Prometheus's own parser tests;
 *   <li>{@code mutants.txt}: expressions of both with random edits, for the error paths;
 *   <li>{@code generated.txt}: expressions from a random generator that follows the grammar.
 * </ul>
 */
record Corpus(String file, int line, boolean valid, String expression) {
  static final Path DIR = Path.of("src/test/resources/promql");
  static final List<String> FILES =
      List.of("corpus.txt", "prometheus-parse-test.txt", "mutants.txt", "generated.txt");

  static List<Corpus> load() {
    List<Corpus> entries = new ArrayList<>();
    for (String file : FILES) {
      entries.addAll(load(file));
    }
    return entries;
  }

  static List<Corpus> load(String file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Corpus> entries = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(" ", 2);
      String expression = parts.length > 1 ? parts[1].replace('⏎', '\n') : "";
      switch (parts[0]) {
        case "ok" -> entries.add(new Corpus(file, n + 1, true, expression));
        case "err" -> entries.add(new Corpus(file, n + 1, false, expression));
        default -> throw new IllegalStateException(file + ":" + (n + 1) + ": " + line);
      }
    }
    return entries;
  }

  @Override
  public String toString() {
    return file + ":" + line + ": " + expression.replace("\n", "⏎");
  }
}
