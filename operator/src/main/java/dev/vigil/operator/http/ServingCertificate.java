package dev.vigil.operator.http;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The certificate a TLS listener presents, replaceable while it serves: each handshake takes the
 * one set last, so a rotated certificate is served from the next connection on, without a restart.
 * Until the first {@link #set}, handshakes fail.
 */
public final class ServingCertificate extends X509ExtendedKeyManager {
  /** One certificate as set: its chain (leaf first), key, and the alias handshakes know it by. */
  public record Loaded(String alias, List<X509Certificate> chain, PrivateKey key) {
    public X509Certificate leaf() {
      return chain.get(0);
    }

    public Instant notAfter() {
      return leaf().getNotAfter().toInstant();
    }
  }

  private final AtomicLong generation = new AtomicLong();
  private volatile Loaded current;

  /**
   * The one before {@link #current}: a handshake that chose its alias just before a swap still
   * finds its chain and key.
   */
  private volatile Loaded previous;

  /**
   * Parses and checks a PEM certificate chain (leaf first) and its private key, and serves them
   * from the next handshake on.
   *
   * @throws IllegalArgumentException when either does not parse, or the key is not the leaf's
   */
  public Loaded set(String certificatePem, String keyPem) {
    List<X509Certificate> chain = Pem.certificates(certificatePem);
    PrivateKey key = Pem.privateKey(keyPem);
    requireKeyOf(chain.get(0), key);
    Loaded loaded = new Loaded("serving-" + generation.incrementAndGet(), chain, key);
    previous = current;
    current = loaded;
    return loaded;
  }

  /** The certificate served now, if any was set. */
  public Optional<Loaded> current() {
    return Optional.ofNullable(current);
  }

  /** A TLS context whose server certificate is this one. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {this}, null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS", e);
    }
  }

  /** Signs with the key and verifies with the certificate: a key of another certificate fails. */
  private static void requireKeyOf(X509Certificate certificate, PrivateKey key) {
    byte[] probe = "vigil serving certificate".getBytes(StandardCharsets.UTF_8);
    try {
      Signature signer = signature(key.getAlgorithm());
      signer.initSign(key);
      signer.update(probe);
      byte[] signed = signer.sign();
      Signature verifier = signature(key.getAlgorithm());
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signed)) {
        throw new IllegalArgumentException("the private key is not the certificate's");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the private key is not the certificate's (" + e.getMessage() + ")", e);
    }
  }

  private static Signature signature(String keyAlgorithm) throws GeneralSecurityException {
    switch (keyAlgorithm) {
      case "RSA":
        return Signature.getInstance("SHA256withRSA");
      case "EC":
        return Signature.getInstance("SHA256withECDSA");
      case "RSASSA-PSS":
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        return pss;
      default:
        return Signature.getInstance(keyAlgorithm); // Ed25519, Ed448
    }
  }

  // X509ExtendedKeyManager: the server side only.

  private Loaded byAlias(String alias) {
    Loaded now = current;
    if (now != null && now.alias().equals(alias)) {
      return now;
    }
    Loaded before = previous;
    return before != null && before.alias().equals(alias) ? before : null;
  }

  /**
   * The alias for a key type JSSE asks for ({@code RSA}, {@code EC}, {@code RSASSA-PSS}, {@code
   * EdDSA}, or TLS 1.2's {@code EC_RSA}-style pairs), if the current key is of that type.
   */
  private String alias(String keyType) {
    Loaded now = current;
    if (now == null || keyType == null) {
      return null;
    }
    String algorithm = now.key().getAlgorithm();
    boolean fits =
        keyType.equals(algorithm)
            || keyType.startsWith(algorithm + "_")
            || (keyType.equals("EdDSA") && algorithm.startsWith("Ed"));
    return fits ? now.alias() : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = alias(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Loaded loaded = byAlias(alias);
    return loaded == null ? null : loaded.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Loaded loaded = byAlias(alias);
    return loaded == null ? null : loaded.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
