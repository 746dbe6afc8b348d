package dev.vigil.reconcilers.goregex;

/** A regular expression Go's {@code regexp} refuses; the message is Go's. */
public final class InvalidRegexpException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient RegexpError error;

  public InvalidRegexpException(RegexpError error) {
    super(error.message());
    this.error = error;
  }

  public RegexpError error() {
    return error;
  }
}
