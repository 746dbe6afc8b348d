package dev.vigil.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The figure a {@code @Benchmark} method must stay under, as the issue that asked for it states it
 * (e.g. {@code "< 1000 ms"}); {@link BenchmarkMain} prints it in the table's Target column next to
 * the measured time.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PerformanceTarget {
  String value();
}
