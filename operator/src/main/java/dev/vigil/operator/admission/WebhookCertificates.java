package dev.vigil.operator.admission;

import dev.vigil.operator.http.CertificateSecret;
import dev.vigil.operator.http.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhooks' CA and serving certificate in one {@code kubernetes.io/tls} Secret: made when
 * missing, the serving certificate renewed a third of its life before it expires (and when the
 * hosts it must name change), the CA renewed a year before it does. Every replica runs this; the
 * API server's resourceVersion check makes one write win, and the others read what it wrote.
 *
 * <p>No admission fails over a renewal: a new serving certificate is signed by the CA the API
 * server already trusts; a new CA is first added to {@code ca.crt} beside the old one (which the
 * webhook configurations then carry), and only the next renewal signs with it.
 *
 * <p>The Secret holds {@code tls.crt} (the serving certificate), {@code tls.key}, {@code ca.crt}
 * (the CAs to trust) and {@code ca.key} (the current CA's key, to sign the next certificate); the
 * operator's own namespace, where only the operator and admins read Secrets.
 */
public final class WebhookCertificates {
  static final String CA_KEY = "ca.key";
  static final String CA_CERTIFICATE = "ca.crt";
  static final String CERTIFICATE = "tls.crt";
  static final String KEY = "tls.key";

  /** How long a serving certificate is valid; renewed when a third of it is left. */
  static final Duration SERVING_VALIDITY = Duration.ofDays(90);

  /** How long a CA is valid; a new one is made when a year of it is left. */
  static final Duration CA_VALIDITY = Duration.ofDays(3650);

  static final Duration CA_RENEW_BEFORE = Duration.ofDays(365);

  private static final Logger LOG = LoggerFactory.getLogger(WebhookCertificates.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final List<String> hosts;
  private final Clock clock;

  /**
   * @param hosts the names the API server dials (the Service's DNS names, or the URL's host)
   */
  public WebhookCertificates(
      KubernetesClient client, String namespace, String name, List<String> hosts, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.hosts = List.copyOf(hosts);
    this.clock = clock;
  }

  /**
   * Makes or renews what is due, once; another replica's concurrent write wins and is kept.
   *
   * @return what the Secret holds now
   */
  public Secret ensure() {
    for (int attempt = 0; attempt < 3; attempt++) {
      Secret current = client.secrets().inNamespace(namespace).withName(name).get();
      Optional<Map<String, String>> next = renewed(current, clock.instant());
      if (next.isEmpty()) {
        return current;
      }
      Secret wanted =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .withLabels(Map.of("app.kubernetes.io/managed-by", "vigil"))
              .withResourceVersion(
                  current == null ? null : current.getMetadata().getResourceVersion())
              .endMetadata()
              .withType("kubernetes.io/tls")
              .withData(next.get())
              .build();
      try {
        Secret written =
            current == null ? client.resource(wanted).create() : client.resource(wanted).update();
        LOG.info(
            "{} the webhooks' certificate in Secret {}/{}: names {}, valid until {}",
            current == null ? "made" : "renewed",
            namespace,
            name,
            hosts,
            certificates(decoded(next.get(), CERTIFICATE)).get(0).getNotAfter().toInstant());
        return written;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Another replica wrote first: read what it wrote and judge again.
      }
    }
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  /**
   * The Secret's next data, or empty when nothing is due. {@code ca.crt} lists the CAs to trust,
   * oldest first; {@code ca.key} is the key of the last, which signs.
   */
  Optional<Map<String, String>> renewed(Secret current, Instant now) {
    Map<String, String> data =
        current == null || current.getData() == null ? Map.of() : current.getData();
    Optional<CertificateMaker.Issued> signing = signingCa(data, now);
    if (signing.isEmpty()) {
      CertificateMaker.Issued ca = newCa(now);
      return Optional.of(withServing(List.of(ca.certificate()), ca, now));
    }
    CertificateMaker.Issued ca = signing.get();
    List<X509Certificate> trusted = new ArrayList<>(certificates(decoded(data, CA_CERTIFICATE)));
    trusted.removeIf(c -> c.getNotAfter().toInstant().isBefore(now));
    if (ca.certificate().getNotAfter().toInstant().isBefore(now.plus(CA_RENEW_BEFORE))) {
      // Trusted from now on beside the old one; the next renewal signs with it.
      CertificateMaker.Issued next = newCa(now);
      trusted.add(next.certificate());
      Map<String, String> kept = new LinkedHashMap<>(data);
      kept.put(CA_CERTIFICATE, encode(pem(trusted)));
      kept.put(CA_KEY, encode(CertificateMaker.pem(next.keys().getPrivate())));
      return Optional.of(kept);
    }
    return servingIsFine(data, ca.certificate(), now)
        ? Optional.empty()
        : Optional.of(withServing(trusted, ca, now));
  }

  /** The CA whose key the Secret holds, if it is valid now. */
  private static Optional<CertificateMaker.Issued> signingCa(
      Map<String, String> data, Instant now) {
    try {
      X509Certificate ca = last(certificates(decoded(data, CA_CERTIFICATE)));
      ca.checkValidity(java.util.Date.from(now));
      return Optional.of(
          new CertificateMaker.Issued(
              ca, new KeyPair(ca.getPublicKey(), Pem.privateKey(decoded(data, CA_KEY)))));
    } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private static CertificateMaker.Issued newCa(Instant now) {
    return CertificateMaker.certificateAuthority(
        "vigil-webhook-ca", now.minusSeconds(60), now.plus(CA_VALIDITY));
  }

  private Map<String, String> withServing(
      List<X509Certificate> trusted, CertificateMaker.Issued ca, Instant now) {
    CertificateMaker.Issued serving =
        CertificateMaker.serving(ca, hosts, now.minusSeconds(60), now.plus(SERVING_VALIDITY));
    Map<String, String> next = new LinkedHashMap<>();
    next.put(CA_CERTIFICATE, encode(pem(trusted)));
    next.put(CA_KEY, encode(CertificateMaker.pem(ca.keys().getPrivate())));
    next.put(CERTIFICATE, encode(Pem.encode(serving.certificate())));
    next.put(KEY, encode(CertificateMaker.pem(serving.keys().getPrivate())));
    return next;
  }

  /** Signed by the current CA, naming every host, and more than a third of its life left. */
  private boolean servingIsFine(Map<String, String> data, X509Certificate ca, Instant now) {
    try {
      X509Certificate leaf = certificates(decoded(data, CERTIFICATE)).get(0);
      Pem.privateKey(decoded(data, KEY));
      leaf.verify(ca.getPublicKey());
      Instant renewAt =
          leaf.getNotAfter()
              .toInstant()
              .minus(
                  Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant())
                      .dividedBy(3));
      boolean namesAll = hosts.stream().allMatch(host -> CertificateSecret.covers(leaf, host));
      return now.isBefore(renewAt) && namesAll;
    } catch (Exception e) {
      return false;
    }
  }

  /** The CA bundle the webhook configurations carry, from the Secret. */
  public static Optional<String> caBundle(Secret secret) {
    if (secret == null
        || secret.getData() == null
        || !secret.getData().containsKey(CA_CERTIFICATE)) {
      return Optional.empty();
    }
    return Optional.of(decoded(secret.getData(), CA_CERTIFICATE));
  }

  private static List<X509Certificate> certificates(String pem) {
    return Pem.certificates(pem);
  }

  private static X509Certificate last(List<X509Certificate> certificates) {
    return certificates.get(certificates.size() - 1);
  }

  private static String pem(List<X509Certificate> certificates) {
    return certificates.stream().map(Pem::encode).collect(Collectors.joining());
  }

  private static String decoded(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
