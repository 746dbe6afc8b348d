package dev.vigil.operator.http;

import static dev.vigil.operator.http.TestCertificates.pem;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CertificateSecretTest {
  final CertificateSecret secret =
      new CertificateSecret(
          "service discovery",
          "vigil-system",
          "vigil-sd-tls",
          "https://vigil-operator.vigil-system.svc:8443");

  static Secret tls(String version, String crt, String key, String ca) {
    Map<String, String> data = new LinkedHashMap<>();
    if (crt != null) {
      data.put("tls.crt", base64(crt));
    }
    if (key != null) {
      data.put("tls.key", base64(key));
    }
    if (ca != null) {
      data.put("ca.crt", base64(ca));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace("vigil-system")
        .withName("vigil-sd-tls")
        .withResourceVersion(version)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(data)
        .build();
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void nothingUntilTheSecretIsThere() {
    assertThat(secret.loaded()).isFalse();
    assertThat(secret.pem()).isEmpty();
    assertThat(secret.notAfter()).isEmpty();
  }

  @Test
  void shardsTrustTheCaCrtOfTheSecret() {
    secret.load(tls("1", pem("rsa.crt"), pem("rsa.pkcs1.key"), pem("ca.crt")));
    assertThat(secret.loaded()).isTrue();
    assertThat(secret.pem()).hasValue(Pem.encode(Pem.certificates(pem("ca.crt")).get(0)));
    assertThat(secret.notAfter()).isPresent();
  }

  @Test
  void withoutCaCrtTheyTrustTheTopOfTheChain() {
    // A chain leaf + issuer: the issuer. A self-signed certificate: itself.
    secret.load(tls("1", pem("ec.crt") + pem("ca.crt"), pem("ec.sec1.key"), null));
    assertThat(secret.pem()).hasValue(Pem.encode(Pem.certificates(pem("ca.crt")).get(0)));
    secret.load(tls("2", pem("self.crt"), pem("self.key"), ""));
    assertThat(secret.pem()).hasValue(Pem.encode(Pem.certificates(pem("self.crt")).get(0)));
  }

  @Test
  void aNewCaIsTold() {
    AtomicInteger told = new AtomicInteger();
    secret.onCaChange(told::incrementAndGet);
    secret.load(tls("1", pem("rsa.crt"), pem("rsa.pkcs1.key"), pem("ca.crt")));
    secret.load(tls("1", pem("rsa.crt"), pem("rsa.pkcs1.key"), pem("ca.crt"))); // a resync
    secret.load(tls("2", pem("ec.crt"), pem("ec.pkcs8.key"), pem("ca.crt"))); // same CA
    assertThat(told).hasValue(1);
    secret.load(tls("3", pem("self.crt"), pem("self.key"), null));
    assertThat(told).hasValue(2);
  }

  @Test
  void aBadVersionChangesNothing() {
    secret.load(tls("1", pem("rsa.crt"), pem("rsa.pkcs8.key"), pem("ca.crt")));
    String ca = secret.pem().orElseThrow();
    var served = secret.certificate().current().orElseThrow();

    secret.load(tls("2", pem("rsa.crt"), pem("ec.pkcs8.key"), pem("self.crt"))); // wrong key
    secret.load(tls("3", pem("rsa.crt"), null, null)); // no key
    secret.load(tls("4", "not pem", pem("rsa.pkcs8.key"), null));
    assertThat(secret.certificate().current()).contains(served);
    assertThat(secret.pem()).hasValue(ca);

    secret.load(tls("5", pem("ec.crt"), pem("ec.pkcs8.key"), pem("ca.crt")));
    assertThat(secret.certificate().current().orElseThrow().leaf().getSubjectX500Principal())
        .hasToString("CN=vigil-operator ec");
  }

  @Test
  void namesAreCheckedAsGoChecksThem() {
    var leaf = Pem.certificates(pem("rsa.crt")).get(0);
    assertThat(CertificateSecret.names(leaf))
        .containsExactly("localhost", "vigil-operator.vigil-system.svc", "127.0.0.1");
    assertThat(CertificateSecret.covers(leaf, "vigil-operator.vigil-system.svc")).isTrue();
    assertThat(CertificateSecret.covers(leaf, "LOCALHOST")).isTrue();
    assertThat(CertificateSecret.covers(leaf, "127.0.0.1")).isTrue();
    assertThat(CertificateSecret.covers(leaf, "127.0.0.2")).isFalse();
    assertThat(CertificateSecret.covers(leaf, "vigil-operator.vigil-system.svc.cluster.local"))
        .isFalse();
    var self = Pem.certificates(pem("self.crt")).get(0);
    assertThat(CertificateSecret.covers(self, "vigil-operator.vigil-system.svc")).isFalse();
  }
}
