package dev.vigil.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operator.http.CertificateSecret;
import dev.vigil.operator.http.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhooks' certificates: made when missing, left alone while fine, the serving certificate
 * renewed with the same CA a third of its life before expiry or when a host is missing, a new CA
 * trusted beside the old one a year before the old expires and only then signing. Checked with the
 * JDK's own certificate parser and verification, and the host rules of Go's TLS client.
 */
class WebhookCertificatesTest {
  static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
  static final List<String> HOSTS = List.of("vigil-operator-webhook.vigil-system.svc", "127.0.0.1");

  final WebhookCertificates certificates =
      new WebhookCertificates(null, "vigil-system", "vigil-webhook-tls", HOSTS, Clock.systemUTC());

  @Test
  void aMissingSecretGetsACaAndAServingCertificateItSigned() throws Exception {
    Map<String, String> data = certificates.renewed(null, NOW).orElseThrow();

    X509Certificate ca = Pem.certificates(text(data, "ca.crt")).get(0);
    X509Certificate leaf = Pem.certificates(text(data, "tls.crt")).get(0);
    leaf.verify(ca.getPublicKey());
    ca.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    for (String host : HOSTS) {
      assertThat(CertificateSecret.covers(leaf, host)).as(host).isTrue();
    }
    assertThat(CertificateSecret.covers(leaf, "127.0.0.2")).isFalse();
    assertThat(Duration.between(NOW, leaf.getNotAfter().toInstant()))
        .isBetween(Duration.ofDays(89), Duration.ofDays(90));
    assertThat(Pem.privateKey(text(data, "tls.key")).getAlgorithm()).isEqualTo("EC");
    assertThat(Pem.privateKey(text(data, "ca.key")).getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void aFineSecretIsLeftAloneAndADueOneRenewedWithTheSameCa() throws Exception {
    Secret made = secret(certificates.renewed(null, NOW).orElseThrow());

    assertThat(certificates.renewed(made, NOW.plus(Duration.ofDays(59)))).isEmpty();

    Map<String, String> renewed =
        certificates.renewed(made, NOW.plus(Duration.ofDays(61))).orElseThrow();
    assertThat(text(renewed, "ca.crt")).isEqualTo(text(made.getData(), "ca.crt"));
    assertThat(text(renewed, "tls.crt")).isNotEqualTo(text(made.getData(), "tls.crt"));
    Pem.certificates(text(renewed, "tls.crt"))
        .get(0)
        .verify(Pem.certificates(text(made.getData(), "ca.crt")).get(0).getPublicKey());
  }

  @Test
  void aNewHostRenewsTheServingCertificate() {
    Secret made = secret(certificates.renewed(null, NOW).orElseThrow());
    WebhookCertificates moved =
        new WebhookCertificates(
            null,
            "vigil-system",
            "vigil-webhook-tls",
            List.of("other.vigil-system.svc"),
            Clock.systemUTC());

    assertThat(moved.renewed(made, NOW)).isPresent();
  }

  @Test
  void aCaNearItsEndIsFirstTrustedBesideTheOldThenSigns() throws Exception {
    Secret made = secret(certificates.renewed(null, NOW).orElseThrow());
    Instant late = NOW.plus(WebhookCertificates.CA_VALIDITY).minus(Duration.ofDays(300));

    Map<String, String> bothTrusted = certificates.renewed(made, late).orElseThrow();
    List<X509Certificate> cas = Pem.certificates(text(bothTrusted, "ca.crt"));
    assertThat(cas).hasSize(2);
    assertThat(text(bothTrusted, "tls.crt")).isEqualTo(text(made.getData(), "tls.crt"));

    Map<String, String> signedByTheNew =
        certificates.renewed(secret(bothTrusted), late.plusSeconds(3600)).orElseThrow();
    Pem.certificates(text(signedByTheNew, "tls.crt")).get(0).verify(cas.get(1).getPublicKey());
    assertThat(Pem.certificates(text(signedByTheNew, "ca.crt"))).hasSize(2);
  }

  static Secret secret(Map<String, String> data) {
    return new SecretBuilder().withNewMetadata().withName("s").endMetadata().withData(data).build();
  }

  static String text(Map<String, String> data, String key) {
    return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
  }
}
