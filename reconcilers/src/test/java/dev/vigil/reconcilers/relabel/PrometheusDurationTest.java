package dev.vigil.reconcilers.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusDurationTest {
  @Test
  void durationsAreReadAsPrometheusReadsThem() {
    assertThat(PrometheusDuration.millis("30s")).isEqualTo(30_000);
    assertThat(PrometheusDuration.millis("1h30m")).isEqualTo(5_400_000);
    assertThat(PrometheusDuration.millis("1w1d")).isEqualTo(8 * 86_400_000L);
    assertThat(PrometheusDuration.millis("500ms")).isEqualTo(500);
    assertThat(PrometheusDuration.millis("1y")).isEqualTo(365 * 86_400_000L);
    assertThat(PrometheusDuration.millis("0")).isZero();
    assertThat(PrometheusDuration.millis("0s")).isZero();
    assertThat(PrometheusDuration.millis("01s")).isEqualTo(1000);
  }

  @Test
  void whatPrometheusRefusesIsMinusOne() {
    assertThat(PrometheusDuration.millis("1.5s")).isEqualTo(-1);
    assertThat(PrometheusDuration.millis("30m1h")).as("units out of order").isEqualTo(-1);
    assertThat(PrometheusDuration.millis("1m1m")).as("a unit twice").isEqualTo(-1);
    assertThat(PrometheusDuration.millis("")).isEqualTo(-1);
    assertThat(PrometheusDuration.millis("s")).isEqualTo(-1);
    assertThat(PrometheusDuration.millis("5")).as("no unit").isEqualTo(-1);
    assertThat(PrometheusDuration.millis("5us")).as("no such unit").isEqualTo(-1);
    assertThat(PrometheusDuration.millis("-5s")).isEqualTo(-1);
    assertThat(PrometheusDuration.millis("293y")).as("over 2^63 ns").isEqualTo(-1);
    assertThat(PrometheusDuration.millis("292y")).isPositive();
    assertThat(PrometheusDuration.millis("99999999999999999999s")).isEqualTo(-1);
  }

  @Test
  void durationsArePrintedAsPrometheusPrintsThem() {
    assertThat(PrometheusDuration.format(0)).isEqualTo("0s");
    assertThat(PrometheusDuration.format(60_000)).isEqualTo("1m");
    assertThat(PrometheusDuration.format(90_000)).isEqualTo("1m30s");
    assertThat(PrometheusDuration.format(1_500)).isEqualTo("1s500ms");
    assertThat(PrometheusDuration.format(14 * 86_400_000L)).isEqualTo("2w");
    assertThat(PrometheusDuration.format(15 * 86_400_000L)).as("not 2w1d").isEqualTo("15d");
    assertThat(PrometheusDuration.format(365 * 86_400_000L)).isEqualTo("1y");
    assertThat(PrometheusDuration.format(PrometheusDuration.millis("60s"))).isEqualTo("1m");
  }
}
