package dev.vigil.reconcilers.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a text, in lower-case hex: for names and annotations that must change with it. */
public final class Sha256 {
  private Sha256() {}

  /** The whole digest of {@code text} (UTF-8): 64 hex digits. */
  public static String hex(String text) {
    return HexFormat.of().formatHex(digest(text));
  }

  /**
   * The first 8 bytes of the digest, 16 hex digits: enough to tell two configurations apart in a
   * pod annotation, short enough to read.
   */
  public static String shortHex(String text) {
    return HexFormat.of().formatHex(digest(text), 0, 8);
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
