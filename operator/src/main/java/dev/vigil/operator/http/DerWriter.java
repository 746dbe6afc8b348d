package dev.vigil.operator.http;

import java.io.ByteArrayOutputStream;

/**
 * Writes DER, the encoding of keys and certificates: one element ({@link #tlv}: tag, definite
 * length, value) and a SEQUENCE of them. What {@link Pem} needs to wrap a key as PKCS#8 and the
 * webhooks need to write a certificate.
 */
public final class DerWriter {
  private DerWriter() {}

  /** A SEQUENCE of the elements, in order. */
  public static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return tlv(0x30, content.toByteArray());
  }

  /** One element: its tag, its length in DER's definite form (up to 16 MiB), its value. */
  public static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
