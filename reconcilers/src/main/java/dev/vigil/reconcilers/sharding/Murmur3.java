package dev.vigil.reconcilers.sharding;

/**
 * MurmurHash3 x64 128-bit (Austin Appleby's public-domain reference, seed 0), reduced to its first
 * 64 bits. Written out here rather than taken from a library because shard assignments must never
 * change between Vigil releases: the function is pinned by known-answer tests against the reference
 * output.
 */
final class Murmur3 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Murmur3() {}

  /** The first 64 bits (h1) of MurmurHash3_x64_128 of {@code data} with seed 0. */
  static long hash64(byte[] data) {
    long h1 = 0;
    long h2 = 0;
    int length = data.length;
    int blockEnd = length & ~15;
    for (int i = 0; i < blockEnd; i += 16) {
      h1 ^= mixK1(littleEndianLong(data, i));
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(littleEndianLong(data, i + 8));
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }

    int tailLength = length & 15;
    long k1 = 0;
    long k2 = 0;
    for (int i = tailLength - 1; i >= 0; i--) {
      long b = data[blockEnd + i] & 0xffL;
      if (i >= 8) {
        k2 ^= b << ((i - 8) * 8);
      } else {
        k1 ^= b << (i * 8);
      }
    }
    if (tailLength > 8) {
      h2 ^= mixK2(k2);
    }
    if (tailLength > 0) {
      h1 ^= mixK1(k1);
    }

    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    return h1 + h2;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    return k ^ (k >>> 33);
  }

  private static long littleEndianLong(byte[] data, int offset) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (data[offset + i] & 0xffL);
    }
    return value;
  }
}
