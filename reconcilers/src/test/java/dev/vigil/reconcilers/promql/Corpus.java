package dev.vigil.reconcilers.promql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The expressions of {@code src/test/resources/promql/corpus.txt}: one a line after {@code ok } or
 * {@code err }, {@code #} lines are comments, {@code ⏎} stands for a newline.
 */
record Corpus(int line, boolean valid, String expression) {
  static final Path FILE = Path.of("src/test/resources/promql/corpus.txt");

  static List<Corpus> load() {
    List<String> lines;
    try {
      lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
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
        case "ok" -> entries.add(new Corpus(n + 1, true, expression));
        case "err" -> entries.add(new Corpus(n + 1, false, expression));
        default -> throw new IllegalStateException(FILE + ":" + (n + 1) + ": " + line);
      }
    }
    return entries;
  }

  @Override
  public String toString() {
    return "line " + line + ": " + expression.replace("\n", "⏎");
  }
}
