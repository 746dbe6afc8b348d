package dev.vigil.reconcilers.promql;

/** An expression that is not valid PromQL; {@link #error()} says where and why. */
public final class PromQLException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ParseError error;

  public PromQLException(ParseError error) {
    super(error.toString(), null, false, false);
    this.error = error;
  }

  public ParseError error() {
    return error;
  }
}
