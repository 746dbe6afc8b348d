package dev.vigil.reconcilers.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetaLabelsTest {
  @Test
  void sanitizeReplacesEveryCharacterOutsideTheLabelAlphabetByOneUnderscore() {
    assertThat(MetaLabels.sanitize("app.kubernetes.io/name")).isEqualTo("app_kubernetes_io_name");
    assertThat(MetaLabels.sanitize("a--b")).isEqualTo("a__b");
    assertThat(MetaLabels.sanitize("Zz_09")).isEqualTo("Zz_09");
    // One underscore per code point, as Go's regexp replaces runes: é is one, 😀 (two UTF-16
    // chars) is one.
    assertThat(MetaLabels.sanitize("é😀x")).isEqualTo("__x");
    assertThat(MetaLabels.sanitize("")).isEmpty();
  }

  @Test
  void joinHostPortBracketsIpv6AsGo() {
    assertThat(MetaLabels.joinHostPort("10.0.0.1", 80)).isEqualTo("10.0.0.1:80");
    assertThat(MetaLabels.joinHostPort("fd00::1", 80)).isEqualTo("[fd00::1]:80");
    assertThat(MetaLabels.joinHostPort("db.example.com", 5432)).isEqualTo("db.example.com:5432");
  }
}
