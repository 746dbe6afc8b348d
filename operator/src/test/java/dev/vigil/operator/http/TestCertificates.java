package dev.vigil.operator.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PEM files of {@code src/test/resources/tls/} (made by its generate.sh), and clients of them.
 */
public final class TestCertificates {
  private TestCertificates() {}

  /** A file of {@code tls/}: {@code ca.crt}, {@code rsa.crt}, {@code rsa.pkcs1.key}, ... */
  public static String pem(String file) {
    try (InputStream in = TestCertificates.class.getResourceAsStream("/tls/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no test file tls/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A client TLS context that trusts only the certificates of {@code caPem}, as Prometheus would.
   */
  public static SSLContext trusting(String caPem) {
    try {
      KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
      roots.load(null, null);
      int i = 0;
      for (X509Certificate certificate : Pem.certificates(caPem)) {
        roots.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(roots);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
