package dev.vigil.operator.reloader;

import java.io.IOException;

/**
 * One API object the reloader mirrors to files: the config Secret's key ({@link SecretKeyFile}), a
 * rule ConfigMap ({@link ConfigMapDirectory}); a new kind of input is one more implementation.
 */
interface ConfigSource extends AutoCloseable {

  /** What {@link #writeTo} did. */
  enum State {
    /** A file changed: Prometheus must reload. */
    WRITTEN,
    /** The files already held the object's content. */
    UNCHANGED,
    /** The object (or its key) does not exist: files are left as they are. */
    MISSING
  }

  /**
   * @param state what happened
   * @param detail why the object counts as missing, for the log; empty otherwise
   */
  record Outcome(State state, String detail) {
    static final Outcome WRITTEN = new Outcome(State.WRITTEN, "");
    static final Outcome UNCHANGED = new Outcome(State.UNCHANGED, "");

    static Outcome missing(String detail) {
      return new Outcome(State.MISSING, detail);
    }

    static Outcome of(boolean changed) {
      return changed ? WRITTEN : UNCHANGED;
    }
  }

  /** Starts watching the object; {@code onChange} runs after every event. */
  void start(Runnable onChange);

  boolean hasSynced();

  /** Makes the files match the object as last seen. */
  Outcome writeTo(ConfigFileWriter writer) throws IOException;

  @Override
  void close();
}
