package dev.vigil.e2e.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Keeps a copy of everything the test JVM prints (the in-process operators log through slf4j-simple
 * to System.err) in {@code target/e2e-suite-output.log}, so SecretsNeverLeakIT can search every
 * line the suite's operators logged, not only its own scenario's.
 */
public final class SuiteOutput implements LauncherSessionListener {
  public static final Path FILE = Path.of("target", "e2e-suite-output.log").toAbsolutePath();

  private PrintStream originalOut;
  private PrintStream originalErr;
  private OutputStream file;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    try {
      Files.createDirectories(FILE.getParent());
      file = Files.newOutputStream(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(new Tee(originalOut, file), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr, file), true, StandardCharsets.UTF_8));
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    System.setOut(originalOut);
    System.setErr(originalErr);
    try {
      file.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes to two streams: what the console shows, and the copy that is searched. */
  public static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    public Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      synchronized (b) {
        b.write(x);
      }
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      synchronized (b) {
        b.write(bytes, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      synchronized (b) {
        b.flush();
      }
    }
  }
}
