package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which addresses a test may send traffic to; no namespace is created here. */
class TestNetworkTest {
  final TestNetwork network =
      new TestNetwork("vigil-1-abcdef", "vglabcdef", new int[] {198, 19, 7});
  final TestNetwork host = new TestNetwork(null, null, new int[] {192, 0, 2, 2});

  @Test
  void loopbackAndTheTestsOwnNetworkAreAllowed() {
    assertThat(TestNetwork.allows("127.0.0.1")).isTrue();
    assertThat(TestNetwork.allows("127.201.0.11")).isTrue();
    assertThat(TestNetwork.allows("localhost")).isTrue();
    assertThat(TestNetwork.allows("[::1]")).isTrue();
    assertThat(TestNetwork.allows("198.19.7.2", network)).isTrue();
    assertThat(TestNetwork.allows("198.19.7.1", network)).isTrue();
    assertThat(network.range()).isEqualTo("198.19.7.0/24");
    assertThat(network.hostAddress()).isEqualTo("198.19.7.1");
  }

  @Test
  void everythingElseIsRefused() {
    assertThat(TestNetwork.allows("198.19.8.2", network)).isFalse();
    assertThat(TestNetwork.allows("198.19.7.2")).as("not without the network").isFalse();
    assertThat(TestNetwork.allows("10.0.0.1", network)).as("fixture addresses").isFalse();
    assertThat(TestNetwork.allows("10.255.255.53", network)).isFalse();
    assertThat(TestNetwork.allows("192.0.2.2", network)).isFalse();
    assertThat(TestNetwork.allows("mimir.example.com", network))
        .as("a name: resolving it alone leaves the machine")
        .isFalse();
    assertThat(TestNetwork.allows("128.0.0.1")).isFalse();
    assertThat(TestNetwork.allows("127.0.0.256")).isFalse();
    assertThat(TestNetwork.allows(null)).isFalse();
  }

  @Test
  void withoutRootOnlyThisMachinesAddressIsAdded() {
    assertThat(host.isolated()).isFalse();
    assertThat(host.hostAddress()).isEqualTo("192.0.2.2");
    assertThat(TestNetwork.allows("192.0.2.2", host)).isTrue();
    assertThat(TestNetwork.allows("192.0.2.3", host)).isFalse();
    assertThat(host.range()).isEqualTo("192.0.2.2/32");
  }
}
