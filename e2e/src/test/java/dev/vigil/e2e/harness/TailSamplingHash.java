package dev.vigil.e2e.harness;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Which traces the {@code tail_sampling} processor's {@code probabilistic} policy keeps, computed
 * as the processor (collector-contrib 0.160, {@code internal/sampling/probabilistic.go}) computes
 * it for spans without OpenTelemetry tracestate sampling information (the {@code usetracestate}
 * gate is alpha, off): FNV-1a 64 over the salt ({@value #DEFAULT_SALT} when {@code hash_salt} is
 * not set, as Vigil never sets it) then the 16 trace ID bytes; kept when that hash, unsigned, is at
 * most {@code MaxUint64 * percentage / 100} as Go's {@code big.Float} computes it (64-bit mantissa,
 * rounded to nearest even, then truncated).
 */
public final class TailSamplingHash {
  /** The processor's {@code defaultHashSalt}. */
  public static final String DEFAULT_SALT = "default-hash-seed";

  private static final long FNV64_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV64_PRIME = 0x100000001b3L;
  private static final BigInteger MAX_UINT64 =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private TailSamplingHash() {}

  /** Go's {@code fnv.New64a()} over {@code salt} (UTF-8) then {@code traceId}. */
  public static long hash(String salt, byte[] traceId) {
    long hash = FNV64_OFFSET;
    for (byte b : salt.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * FNV64_PRIME;
    }
    for (byte b : traceId) {
      hash = (hash ^ (b & 0xff)) * FNV64_PRIME;
    }
    return hash;
  }

  /**
   * The processor's {@code calculateThreshold(percentage / 100)}: {@code MaxUint64} (a 64-bit
   * {@code big.Float}) times the ratio (the float64 exactly), rounded to 64 bits of mantissa (half
   * to even), truncated to an unsigned integer (returned as its bits in a long).
   */
  public static long threshold(double percentage) {
    double ratio = percentage / 100;
    BigDecimal product = new BigDecimal(MAX_UINT64).multiply(new BigDecimal(ratio));
    if (product.signum() <= 0) {
      return 0;
    }
    // Scale up by 2^shift so that the mantissa's 64 bits are the integer part, round, scale back.
    int shift = 64 - product.toBigInteger().bitLength();
    BigInteger mantissa =
        product
            .multiply(new BigDecimal(BigInteger.ONE.shiftLeft(shift)))
            .setScale(0, RoundingMode.HALF_EVEN)
            .toBigInteger();
    BigInteger value = mantissa.shiftRight(shift);
    return value.min(MAX_UINT64).longValue();
  }

  /** Whether the probabilistic policy at {@code percentage} keeps the trace {@code traceId}. */
  public static boolean kept(byte[] traceId, double percentage) {
    return Long.compareUnsigned(hash(DEFAULT_SALT, traceId), threshold(percentage)) <= 0;
  }
}
