package dev.vigil.reconcilers.promql;

/** The type of the value an expression evaluates to, named as Prometheus's documentation does. */
public enum ValueType {
  /** Only an empty argument list has no type; no expression does. */
  NONE("none"),
  SCALAR("scalar"),
  INSTANT_VECTOR("instant vector"),
  RANGE_VECTOR("range vector"),
  STRING("string");

  private final String documented;

  ValueType(String documented) {
    this.documented = documented;
  }

  /** The name Prometheus's error messages use: {@code "instant vector"}, {@code "scalar"}... */
  public String documented() {
    return documented;
  }
}
