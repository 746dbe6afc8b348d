package dev.vigil.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark in this jar (or those JMH's usual arguments select) and prints a summary
 * table. Defaults are short, one fork of 3 × 1 s warm-up and 5 × 1 s measurement, so {@code make
 * bench} stays quick; JMH's own flags ({@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r},
 * {@code -p}, {@code -prof}, a benchmark regex, {@code -h}) override them.
 */
public final class BenchmarkMain {
  private static final String PACKAGE_PREFIX = BenchmarkMain.class.getPackageName() + ".";

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions commandLine;
    try {
      commandLine = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      System.err.println("Error parsing command line: " + e.getMessage());
      System.exit(1);
      return;
    }
    // The listing flags of JMH's own main, so the usual workflow works on this jar too.
    if (commandLine.shouldHelp()) {
      commandLine.showHelp();
      return;
    }
    if (commandLine.shouldListProfilers()) {
      commandLine.listProfilers();
      return;
    }
    if (commandLine.shouldListResultFormats()) {
      commandLine.listResultFormats();
      return;
    }
    Runner runner = new Runner(withShortDefaults(commandLine));
    if (commandLine.shouldList()) {
      runner.list();
      return;
    }
    if (commandLine.shouldListWithParams()) {
      runner.listWithParams(commandLine);
      return;
    }
    Collection<RunResult> results = runner.run();

    // The table has ±, → and ×; Java 17's System.out would print them as '?' under a POSIX locale.
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    out.println();
    out.print(ResultTable.render(rows(results)));
  }

  private static Options withShortDefaults(CommandLineOptions commandLine) {
    return new OptionsBuilder()
        .parent(commandLine)
        .forks(commandLine.getForkCount().orElse(1))
        .warmupIterations(commandLine.getWarmupIterations().orElse(3))
        .warmupTime(commandLine.getWarmupTime().orElse(TimeValue.seconds(1)))
        .measurementIterations(commandLine.getMeasurementIterations().orElse(5))
        .measurementTime(commandLine.getMeasurementTime().orElse(TimeValue.seconds(1)))
        .build();
  }

  /** Timings in the order JMH ran them, then the figures of each class that ran. */
  static List<ResultTable.Row> rows(Collection<RunResult> results)
      throws ReflectiveOperationException {
    List<ResultTable.Row> rows = new ArrayList<>();
    Set<String> classNames = new LinkedHashSet<>();
    for (RunResult result : results) {
      BenchmarkParams params = result.getParams();
      String benchmark = params.getBenchmark();
      classNames.add(benchmark.substring(0, benchmark.lastIndexOf('.')));
      String name = shortName(benchmark);
      String paramList = paramList(params);
      rows.add(timingRow(name, paramList, result.getPrimaryResult(), target(benchmark)));
      for (Result<?> secondary : result.getSecondaryResults().values()) {
        rows.add(timingRow(name + ":" + secondary.getLabel(), paramList, secondary, ""));
      }
    }
    for (String className : classNames) {
      Class<?> benchmarkClass = Class.forName(className);
      if (BenchmarkFigures.class.isAssignableFrom(benchmarkClass)) {
        BenchmarkFigures figures =
            (BenchmarkFigures) benchmarkClass.getDeclaredConstructor().newInstance();
        rows.addAll(figures.figures());
      }
    }
    return rows;
  }

  private static ResultTable.Row timingRow(
      String name, String params, Result<?> result, String target) {
    String score = String.format(Locale.ROOT, "%.3f", result.getScore());
    if (!Double.isNaN(result.getScoreError())) {
      score += String.format(Locale.ROOT, " ± %.3f", result.getScoreError());
    }
    return new ResultTable.Row(name, params, score, result.getScoreUnit(), target);
  }

  /** The {@link PerformanceTarget} of a benchmark method ({@code class.method}), or empty. */
  private static String target(String benchmark) throws ClassNotFoundException {
    int dot = benchmark.lastIndexOf('.');
    String methodName = benchmark.substring(dot + 1);
    for (Method method : Class.forName(benchmark.substring(0, dot)).getMethods()) {
      PerformanceTarget target = method.getAnnotation(PerformanceTarget.class);
      if (method.getName().equals(methodName) && target != null) {
        return target.value();
      }
    }
    return "";
  }

  private static String paramList(BenchmarkParams params) {
    List<String> pairs = new ArrayList<>();
    for (String key : new TreeSet<>(params.getParamsKeys())) {
      pairs.add(key + "=" + params.getParam(key));
    }
    return String.join(", ", pairs);
  }

  private static String shortName(String benchmark) {
    return benchmark.startsWith(PACKAGE_PREFIX)
        ? benchmark.substring(PACKAGE_PREFIX.length())
        : benchmark;
  }
}
