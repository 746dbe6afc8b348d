package dev.vigil.reconcilers.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers of the reference MurmurHash3_x64_128 (first 64 bits, seed 0), as Guava's {@code
 * Hashing.murmur3_128().hashString(s, UTF_8).asLong()} also computes them. Shard assignments rest
 * on this function: a change here would reshuffle every target on upgrade.
 */
class Murmur3Test {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|0x0000000000000000",
        "hell|0x629942693e10f867",
        "hello wor|0x944cd9aa8b8e849d",
        "0123456789abcde|0xa62dd5f6c0bf2351",
        "0123456789abcdef|0x4be06d94cf4ad1a7",
        "0123456789abcdef0|0xeb24ae8785a5c075",
        "The quick brown fox jumps over the lazy dog|0xe34bbc7bbc071b6c",
        "serviceMonitor/shop/cart/0/10.1.2.3:8080|0xef69507c7f1e4c3a",
        "héllo wörld ✓|0xe36a3988c2f0fe74",
      })
  void matchesTheReferenceImplementation(String input, String expectedHex) {
    long expected = Long.parseUnsignedLong(expectedHex.substring(2), 16);
    assertThat(Murmur3.hash64(input.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }
}
