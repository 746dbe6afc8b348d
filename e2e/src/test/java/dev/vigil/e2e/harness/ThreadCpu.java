package dev.vigil.e2e.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads from its own counters ({@code /proc/<pid>/task/<tid>/stat}, user
 * + system, in clock ticks), by thread name; threads of one name (a pool) are summed.
 */
public final class ThreadCpu {
  /** Linux's USER_HZ, the unit of the counters, on every architecture the project runs on. */
  static final double TICKS_PER_SECOND = 100;

  private ThreadCpu() {}

  /** Ticks per thread name; the whole process's are also under {@code ""}. */
  public static Map<String, Long> of(long pid) throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended while listed
        }
        // pid (comm) state ... : comm may hold spaces and parentheses, so split after the last ')'.
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        ticks.merge(name.replaceAll("-\\d+$", "-N"), used, Long::sum);
      }
    }
    String all = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = all.substring(all.lastIndexOf(')') + 2).split(" ");
    ticks.put("", Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    return ticks;
  }

  public static long total(Map<String, Long> ticks) {
    return ticks.get("");
  }

  public static double seconds(long ticks) {
    return ticks / TICKS_PER_SECOND;
  }

  /** The {@code n} threads that used the most CPU between two readings, with their seconds. */
  public static String busiest(Map<String, Long> before, Map<String, Long> after, int n) {
    return after.entrySet().stream()
        .filter(e -> !e.getKey().isEmpty())
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(n)
        .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), seconds(e.getValue())))
        .collect(Collectors.joining(", "));
  }
}
