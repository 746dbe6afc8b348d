package dev.vigil.operator.http;

import static dev.vigil.operator.http.TestCertificates.pem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServingCertificateTest {
  final ServingCertificate certificate = new ServingCertificate();
  HttpListener listener;

  @AfterEach
  void stop() {
    if (listener != null) {
      listener.close();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "rsa.crt, rsa.pkcs1.key, RSA",
    "rsa.crt, rsa.pkcs8.key, RSA",
    "ec.crt,  ec.sec1.key,   EC",
    "ec.crt,  ec.pkcs8.key,  EC",
    "self.crt, self.key,     EC"
  })
  void readsTheKeyEncodingsCertManagerAndOpensslWrite(String crt, String key, String algorithm) {
    ServingCertificate.Loaded loaded = certificate.set(pem(crt), pem(key));
    assertThat(loaded.key().getAlgorithm()).isEqualTo(algorithm);
    assertThat(loaded.chain()).hasSize(1);
    assertThat(certificate.current()).contains(loaded);
  }

  @Test
  void refusesAKeyOfAnotherCertificateAndKeepsTheOneBefore() {
    ServingCertificate.Loaded rsa = certificate.set(pem("rsa.crt"), pem("rsa.pkcs8.key"));
    assertThatThrownBy(() -> certificate.set(pem("rsa.crt"), pem("ec.pkcs8.key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the certificate's");
    assertThatThrownBy(() -> certificate.set("garbage", pem("ec.pkcs8.key")))
        .hasMessageContaining("no -----BEGIN CERTIFICATE----- block");
    assertThatThrownBy(() -> certificate.set(pem("ec.crt"), pem("ec.crt")))
        .hasMessageContaining("no -----BEGIN PRIVATE KEY-----");
    assertThatThrownBy(
            () ->
                certificate.set(
                    pem("ec.crt"),
                    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"))
        .hasMessageContaining("encrypted");
    assertThat(certificate.current()).contains(rsa);
  }

  @Test
  void aTlsListenerServesTheCertificateSetLastFromTheNextHandshakeOn() throws Exception {
    listener = HttpListener.tls("test", 0, HttpLimits.DEFAULT, certificate.sslContext());
    listener.add(
        "/",
        exchange -> {
          byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    listener.start();
    String client = pem("ca.crt");

    // No certificate yet: handshakes fail (the JDK's server resets them), and it keeps serving.
    assertThatThrownBy(() -> get(client)).isInstanceOf(IOException.class);

    certificate.set(pem("rsa.crt"), pem("rsa.pkcs1.key"));
    assertThat(get(client)).isEqualTo("CN=vigil-operator rsa");

    // Rotated (here to another key type too): the next connection gets the new one.
    certificate.set(pem("ec.crt"), pem("ec.sec1.key"));
    assertThat(get(client)).isEqualTo("CN=vigil-operator ec");

    // A client that trusts another CA refuses it.
    assertThatThrownBy(() -> get(pem("self.crt"))).isInstanceOf(SSLHandshakeException.class);
  }

  /**
   * GET / over a new connection that trusts {@code caPem} and checks the name 127.0.0.1; the server
   * certificate's subject. A new client each time, as Prometheus's: no TLS session to resume.
   */
  String get(String caPem) throws IOException {
    SSLContext client = TestCertificates.trusting(caPem);
    try (SSLSocket socket =
        (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.port())) {
      socket.setSoTimeout(5_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(response).startsWith("HTTP/1.1 200").endsWith("ok\n");
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }
}
