package dev.vigil.reconcilers.promql;

/** Binary, unary and aggregation operators. */
public enum Operator {
  ADD("+"),
  SUB("-"),
  MUL("*"),
  DIV("/"),
  MOD("%"),
  POW("^"),
  ATAN2("atan2"),
  EQLC("=="),
  NEQ("!="),
  LTE("<="),
  LSS("<"),
  GTE(">="),
  GTR(">"),
  TRIM_UPPER("</"),
  TRIM_LOWER(">/"),
  AND("and"),
  OR("or"),
  UNLESS("unless"),
  SUM("sum"),
  AVG("avg"),
  COUNT("count"),
  MIN("min"),
  MAX("max"),
  GROUP("group"),
  STDDEV("stddev"),
  STDVAR("stdvar"),
  TOPK("topk"),
  BOTTOMK("bottomk"),
  COUNT_VALUES("count_values"),
  QUANTILE("quantile"),
  LIMITK("limitk"),
  LIMIT_RATIO("limit_ratio");

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  /** As written in PromQL. */
  public String symbol() {
    return symbol;
  }

  public boolean isComparison() {
    return this == EQLC || this == NEQ || this == LTE || this == LSS || this == GTE || this == GTR;
  }

  public boolean isSetOperator() {
    return this == AND || this == OR || this == UNLESS;
  }
}
