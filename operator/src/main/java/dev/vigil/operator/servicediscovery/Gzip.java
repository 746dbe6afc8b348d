package dev.vigil.operator.servicediscovery;

import java.io.ByteArrayOutputStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip at the fastest level, with deflaters kept for reuse: a stack of 100 shards and hundreds of
 * jobs has tens of thousands of small answers to compress, and a new {@link Deflater} (native state
 * and buffers) for each cost more than the compression itself. The bytes are {@link
 * java.util.zip.GZIPOutputStream}'s: the same header (no name, no time), raw deflate, CRC-32 and
 * length. At most one deflater per thread that compresses at once is kept. Thread-safe.
 */
final class Gzip implements AutoCloseable {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 0};

  private final Queue<Deflater> idle = new ConcurrentLinkedQueue<>();

  byte[] compress(byte[] plain) {
    Deflater deflater = idle.poll();
    if (deflater == null) {
      deflater = new Deflater(Deflater.BEST_SPEED, true);
    }
    try {
      deflater.setInput(plain);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 12 + 64);
      out.write(HEADER, 0, HEADER.length);
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        out.write(buffer, 0, n);
      }
      CRC32 crc = new CRC32();
      crc.update(plain);
      writeIntLittleEndian(out, (int) crc.getValue());
      writeIntLittleEndian(out, plain.length);
      return out.toByteArray();
    } finally {
      deflater.reset();
      idle.offer(deflater);
    }
  }

  private static void writeIntLittleEndian(ByteArrayOutputStream out, int value) {
    out.write(value);
    out.write(value >>> 8);
    out.write(value >>> 16);
    out.write(value >>> 24);
  }

  @Override
  public void close() {
    for (Deflater deflater; (deflater = idle.poll()) != null; ) {
      deflater.end();
    }
  }
}
