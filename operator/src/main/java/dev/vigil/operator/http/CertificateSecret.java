package dev.vigil.operator.http;

import dev.vigil.reconcilers.objects.DeploymentSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's TLS certificate (service discovery's, the webhooks'), from a {@code
 * kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key}, optionally {@code ca.crt}) the
 * operator watches by name, alone: a new version is served from the next handshake on. A version
 * that does not parse is logged and the one before kept; so is the last one when the Secret is
 * deleted.
 *
 * <p>It also gives the CA bundle clients trust (the shards, which reconciles copy it to through
 * each stack's token Secret; the API server, through the webhook configurations): {@code ca.crt}
 * when the Secret has one (cert-manager writes it), else the last certificate of {@code tls.crt}
 * (the issuer at the top of the chain, or a self-signed certificate itself).
 */
public final class CertificateSecret
    implements DeploymentSettings.ServiceDiscoveryCa, AutoCloseable {
  static final String CERTIFICATE_KEY = "tls.crt";
  static final String KEY_KEY = "tls.key";
  static final String CA_KEY = "ca.crt";

  private static final Logger LOG = LoggerFactory.getLogger(CertificateSecret.class);

  private final String purpose;
  private final String namespace;
  private final String name;
  private final String host;
  private final ServingCertificate certificate = new ServingCertificate();
  private volatile String ca;
  private volatile String loadedVersion;
  private volatile Runnable onCaChange = () -> {};
  private SharedIndexInformer<Secret> informer;

  /**
   * @param purpose what the certificate serves, for the log: {@code service discovery}
   * @param url where clients reach the listener: the certificate must name its host, or their TLS
   *     checks fail (logged when it does not)
   */
  public CertificateSecret(String purpose, String namespace, String name, String url) {
    this.purpose = purpose;
    this.namespace = namespace;
    this.name = name;
    this.host = URI.create(url).getHost();
  }

  /** Watches the Secret; returns once it was listed, with its certificate loaded if it exists. */
  public void start(KubernetesClient client) {
    informer =
        client
            .secrets()
            .inNamespace(namespace)
            .withName(name)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Secret secret) {
                    load(secret);
                  }

                  @Override
                  public void onUpdate(Secret before, Secret secret) {
                    load(secret);
                  }

                  @Override
                  public void onDelete(Secret secret, boolean finalStateUnknown) {
                    LOG.warn(
                        "the {} certificate's Secret {}/{} was deleted; serving the last"
                            + " certificate until it is back",
                        purpose,
                        namespace,
                        name);
                  }
                });
    if (!loaded()) {
      LOG.warn(
          "{} serves HTTPS with the certificate of Secret {}/{}, which {}: handshakes fail"
              + " until it holds a valid tls.crt and tls.key",
          purpose,
          namespace,
          name,
          informer.getStore().list().isEmpty() ? "does not exist" : "is not usable");
    }
  }

  /** Takes a version of the Secret; a bad one is logged and changes nothing. */
  void load(Secret secret) {
    String version =
        secret.getMetadata() == null ? null : secret.getMetadata().getResourceVersion();
    if (version != null && version.equals(loadedVersion)) {
      return; // a resync
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    try {
      String chain =
          decoded(data, CERTIFICATE_KEY)
              .orElseThrow(() -> new IllegalArgumentException("it has no " + CERTIFICATE_KEY));
      String key =
          decoded(data, KEY_KEY)
              .orElseThrow(() -> new IllegalArgumentException("it has no " + KEY_KEY));
      Optional<String> bundle = decoded(data, CA_KEY).filter(pem -> !pem.isBlank());
      String trusted =
          bundle.isPresent()
              ? encode(Pem.certificates(bundle.get()))
              : encode(List.of(last(Pem.certificates(chain))));
      ServingCertificate.Loaded loaded = certificate.set(chain, key);
      boolean caChanged = !trusted.equals(ca);
      ca = trusted;
      loadedVersion = version;
      X509Certificate leaf = loaded.leaf();
      List<String> names = names(leaf);
      LOG.info(
          "{} serves the certificate of Secret {}/{} (version {}): {}, names {}, valid until {};"
              + " clients trust {}",
          purpose,
          namespace,
          name,
          version,
          leaf.getSubjectX500Principal().getName(),
          names,
          loaded.notAfter(),
          bundle.isPresent() ? "its ca.crt" : "the last certificate of its tls.crt");
      if (!covers(leaf, host)) {
        LOG.warn(
            "the {} certificate names {}, not {}, the host clients reach it at: their TLS"
                + " checks will fail",
            purpose,
            names,
            host);
      }
      if (loaded.notAfter().isBefore(Instant.now())) {
        LOG.warn("the {} certificate expired at {}", purpose, loaded.notAfter());
      }
      if (caChanged) {
        onCaChange.run();
      }
    } catch (IllegalArgumentException e) {
      LOG.error(
          "the Secret {}/{} (version {}) holds no usable certificate, {}; {}",
          namespace,
          name,
          version,
          e.getMessage(),
          loaded() ? "serving the one before" : "handshakes fail");
    }
  }

  /**
   * Runs {@code listener} whenever the CA bundle changes from now on (it must be quick): the
   * operator reconciles every stack then, so their token Secrets carry the new one in seconds.
   */
  public void onCaChange(Runnable listener) {
    onCaChange = listener;
  }

  /** The key manager of the listener. */
  public ServingCertificate certificate() {
    return certificate;
  }

  /** Whether a certificate was loaded. */
  public boolean loaded() {
    return certificate.current().isPresent();
  }

  /** When the served certificate expires. */
  public Optional<Instant> notAfter() {
    return certificate.current().map(ServingCertificate.Loaded::notAfter);
  }

  /** The CA bundle clients trust, once a certificate was loaded. */
  @Override
  public Optional<String> pem() {
    return Optional.ofNullable(ca);
  }

  public String secret() {
    return namespace + "/" + name;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }

  private static Optional<String> decoded(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " is not base64");
    }
  }

  private static X509Certificate last(List<X509Certificate> chain) {
    return chain.get(chain.size() - 1);
  }

  private static String encode(Collection<X509Certificate> certificates) {
    return certificates.stream().map(Pem::encode).collect(Collectors.joining());
  }

  /** DNS names and IP addresses of a certificate's subject alternative names. */
  static List<String> names(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          int type = (Integer) alternative.get(0);
          if (type == 2 || type == 7) { // dNSName, iPAddress
            names.add(String.valueOf(alternative.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no names
    }
    return names;
  }

  /**
   * Whether a certificate's names cover {@code host} as Go's TLS checks it (one-label wildcards).
   */
  public static boolean covers(X509Certificate certificate, String host) {
    if (host == null) {
      return false;
    }
    String wanted = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
    Optional<InetAddress> address = literalAddress(wanted);
    for (String name : names(certificate)) {
      String candidate = name.toLowerCase(Locale.ROOT);
      if (address.isPresent()) {
        if (literalAddress(candidate).equals(address)) {
          return true;
        }
      } else if (candidate.equals(wanted)
          || (candidate.startsWith("*.")
              && wanted.indexOf('.') > 0
              && wanted.substring(wanted.indexOf('.')).equals(candidate.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  private static Optional<InetAddress> literalAddress(String text) {
    if (!text.matches("[0-9.]+|[0-9a-f:]*:[0-9a-f:.]*")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text)); // a literal: no lookup
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
