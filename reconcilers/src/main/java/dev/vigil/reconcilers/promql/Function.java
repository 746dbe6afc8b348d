package dev.vigil.reconcilers.promql;

import static dev.vigil.reconcilers.promql.ValueType.INSTANT_VECTOR;
import static dev.vigil.reconcilers.promql.ValueType.RANGE_VECTOR;
import static dev.vigil.reconcilers.promql.ValueType.SCALAR;
import static dev.vigil.reconcilers.promql.ValueType.STRING;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A PromQL function: its argument types, how many optional trailing arguments it takes, and what it
 * returns. The table is Prometheus 3's ({@code promql/parser/functions.go}).
 *
 * @param variadic 0: exactly {@code argTypes}; n &gt; 0: the last argument type may be omitted or
 *     repeated up to n times in all; -1: the last may be omitted or repeated without limit
 * @param experimental refused unless the parser is told to accept experimental functions, as
 *     Prometheus refuses them without {@code --enable-feature=promql-experimental-functions}
 */
public record Function(
    String name,
    List<ValueType> argTypes,
    int variadic,
    ValueType returnType,
    boolean experimental) {

  private static final Map<String, Function> FUNCTIONS = table();

  /** The function of that name (case-sensitive, as in Prometheus), if there is one. */
  public static Optional<Function> named(String name) {
    return Optional.ofNullable(FUNCTIONS.get(name));
  }

  /** Every function, by name. */
  public static Map<String, Function> all() {
    return FUNCTIONS;
  }

  private static Map<String, Function> table() {
    Map<String, Function> t = new TreeMap<>();
    for (String name :
        List.of(
            "abs",
            "absent",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "ceil",
            "cos",
            "cosh",
            "deg",
            "exp",
            "floor",
            "histogram_avg",
            "histogram_count",
            "histogram_sum",
            "histogram_stddev",
            "histogram_stdvar",
            "ln",
            "log10",
            "log2",
            "rad",
            "sgn",
            "sin",
            "sinh",
            "sort",
            "sort_desc",
            "sqrt",
            "tan",
            "tanh",
            "timestamp")) {
      add(t, name, 0, INSTANT_VECTOR, false, INSTANT_VECTOR);
    }
    for (String name :
        List.of(
            "absent_over_time",
            "avg_over_time",
            "changes",
            "count_over_time",
            "delta",
            "deriv",
            "first_over_time",
            "idelta",
            "increase",
            "irate",
            "last_over_time",
            "max_over_time",
            "min_over_time",
            "present_over_time",
            "rate",
            "resets",
            "stddev_over_time",
            "stdvar_over_time",
            "sum_over_time")) {
      add(t, name, 0, INSTANT_VECTOR, false, RANGE_VECTOR);
    }
    for (String name :
        List.of(
            "mad_over_time",
            "ts_of_first_over_time",
            "ts_of_max_over_time",
            "ts_of_min_over_time",
            "ts_of_last_over_time")) {
      add(t, name, 0, INSTANT_VECTOR, true, RANGE_VECTOR);
    }
    for (String name :
        List.of(
            "days_in_month",
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "hour",
            "minute",
            "month",
            "year")) {
      add(t, name, 1, INSTANT_VECTOR, false, INSTANT_VECTOR);
    }
    for (String name : List.of("end", "range", "start", "step")) {
      add(t, name, 0, SCALAR, true);
    }
    add(t, "pi", 0, SCALAR, false);
    add(t, "time", 0, SCALAR, false);
    add(t, "clamp", 0, INSTANT_VECTOR, false, INSTANT_VECTOR, SCALAR, SCALAR);
    add(t, "clamp_max", 0, INSTANT_VECTOR, false, INSTANT_VECTOR, SCALAR);
    add(t, "clamp_min", 0, INSTANT_VECTOR, false, INSTANT_VECTOR, SCALAR);
    add(t, "histogram_fraction", 0, INSTANT_VECTOR, false, SCALAR, SCALAR, INSTANT_VECTOR);
    add(t, "histogram_quantile", 0, INSTANT_VECTOR, false, SCALAR, INSTANT_VECTOR);
    add(t, "histogram_quantiles", 9, INSTANT_VECTOR, true, INSTANT_VECTOR, STRING, SCALAR, SCALAR);
    add(t, "double_exponential_smoothing", 0, INSTANT_VECTOR, true, RANGE_VECTOR, SCALAR, SCALAR);
    add(t, "info", 1, INSTANT_VECTOR, true, INSTANT_VECTOR, INSTANT_VECTOR);
    add(
        t,
        "label_replace",
        0,
        INSTANT_VECTOR,
        false,
        INSTANT_VECTOR,
        STRING,
        STRING,
        STRING,
        STRING);
    add(t, "label_join", -1, INSTANT_VECTOR, false, INSTANT_VECTOR, STRING, STRING, STRING);
    add(t, "max_of", 0, SCALAR, true, SCALAR, SCALAR);
    add(t, "min_of", 0, SCALAR, true, SCALAR, SCALAR);
    add(t, "predict_linear", 0, INSTANT_VECTOR, false, RANGE_VECTOR, SCALAR);
    add(t, "quantile_over_time", 0, INSTANT_VECTOR, false, SCALAR, RANGE_VECTOR);
    add(t, "round", 1, INSTANT_VECTOR, false, INSTANT_VECTOR, SCALAR);
    add(t, "scalar", 0, SCALAR, false, INSTANT_VECTOR);
    add(t, "sort_by_label", -1, INSTANT_VECTOR, true, INSTANT_VECTOR, STRING);
    add(t, "sort_by_label_desc", -1, INSTANT_VECTOR, true, INSTANT_VECTOR, STRING);
    add(t, "start_timestamp", 0, INSTANT_VECTOR, true, INSTANT_VECTOR);
    add(t, "vector", 0, INSTANT_VECTOR, false, SCALAR);
    return Collections.unmodifiableMap(t);
  }

  private static void add(
      Map<String, Function> table,
      String name,
      int variadic,
      ValueType returns,
      boolean experimental,
      ValueType... args) {
    table.put(name, new Function(name, List.of(args), variadic, returns, experimental));
  }
}
