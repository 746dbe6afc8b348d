package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link TailSamplingHash} against values printed by the processor's own {@code hashTraceID} and
 * {@code calculateThreshold} (copied from collector-contrib 0.160's {@code probabilistic.go} into a
 * Go program, run with Go 1.26).
 */
class TailSamplingHashTest {
  @Test
  void hashesAsTheProcessorDoes() {
    assertThat(Long.toUnsignedString(hash("00000000000000000000000000000001")))
        .isEqualTo("16254957729900898954");
    assertThat(Long.toUnsignedString(hash("0af7651916cd43dd8448eb211c80319c")))
        .isEqualTo("3728843964641534796");
    assertThat(Long.toUnsignedString(hash("ffffffffffffffffffffffffffffffff")))
        .isEqualTo("1711019809656077869");
  }

  @Test
  void thresholdsAsTheProcessorComputesThem() {
    assertThat(Long.toUnsignedString(TailSamplingHash.threshold(25)))
        .isEqualTo("4611686018427387903");
    // 0.1 is not exact in binary, and MaxUint64 * 0.1 needs rounding to 64 bits.
    assertThat(Long.toUnsignedString(TailSamplingHash.threshold(10)))
        .isEqualTo("1844674407370955263");
    // 33.3 / 100 is 0.33299999999999996 as a float64, as in the processor.
    assertThat(Long.toUnsignedString(TailSamplingHash.threshold(33.3)))
        .isEqualTo("6142765776545279999");
    assertThat(TailSamplingHash.threshold(0)).isZero();
    assertThat(Long.toUnsignedString(TailSamplingHash.threshold(100)))
        .isEqualTo("18446744073709551615");
  }

  @Test
  void keepsAtOrBelowTheThreshold() {
    // 3728843964641534796 <= 25%'s 4611686018427387903 < 16254957729900898954.
    assertThat(TailSamplingHash.kept(id("0af7651916cd43dd8448eb211c80319c"), 25)).isTrue();
    assertThat(TailSamplingHash.kept(id("00000000000000000000000000000001"), 25)).isFalse();
    assertThat(TailSamplingHash.kept(id("0af7651916cd43dd8448eb211c80319c"), 10)).isFalse();
  }

  private static long hash(String hex) {
    return TailSamplingHash.hash(TailSamplingHash.DEFAULT_SALT, id(hex));
  }

  private static byte[] id(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
