package dev.vigil.operator;

import static dev.vigil.operator.http.TestCertificates.pem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStackSpec;
import dev.vigil.operator.http.Pem;
import dev.vigil.operator.http.TestCertificates;
import dev.vigil.reconcilers.prometheus.HttpServiceDiscovery;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Service discovery over HTTPS, end to end against the mock server: the certificate from a Secret,
 * the CA copied into the stack's token Secret, the URL and CA file in {@code prometheus.yml}
 * answered over TLS by a client that trusts only that CA, and a rotated certificate and CA taken
 * without a restart. Probes and metrics stay plain HTTP on their own port.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceDiscoveryTlsIT {
  static final Pattern SD_URL = Pattern.compile("url: (https://127\\.0\\.0\\.1:8443(/sd/v1/\\S+))");

  KubernetesClient client;
  VigilOperator vigil;

  @AfterEach
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  Secret tls(String crt, String key, String ca) {
    Map<String, String> data = new java.util.TreeMap<>();
    data.put("tls.crt", base64(crt));
    data.put("tls.key", base64(key));
    if (ca != null) {
      data.put("ca.crt", base64(ca));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName("vigil-sd-tls")
        .withNamespace("default")
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(data)
        .build();
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String decoded(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  Optional<Secret> secret(String name) {
    return Optional.ofNullable(client.secrets().inNamespace("default").withName(name).get());
  }

  @Test
  void servesHttpsWithTheSecretsCertificateWhichShardsTrust() throws Exception {
    client.resource(tls(pem("rsa.crt"), pem("rsa.pkcs1.key"), pem("ca.crt"))).create();
    OperatorConfig config =
        OperatorConfig.from(
            List.of(
                "--leader-election=false",
                "--http-port=0",
                "--service-discovery-port=0",
                "--service-discovery-tls-secret=vigil-sd-tls",
                "--service-discovery-url=https://127.0.0.1:8443"),
            Map.of("POD_NAMESPACE", "default"));
    vigil = new VigilOperator(config, client, new VigilOperator.Runtime(false, false));
    vigil.start();
    assertThat(vigil.serviceDiscoveryPort()).isNotEqualTo(vigil.httpPort());
    HttpClient plain = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> plainGet(plain, "/readyz").statusCode() == 200);

    MonitoringStack stack = new MonitoringStack();
    stack.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("default").build());
    stack.setSpec(new MonitoringStackSpec());
    client.resource(stack).create();

    // The shards' token Secret carries the CA, beside the token.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                secret("demo-sd-token")
                    .map(s -> s.getData().get(HttpServiceDiscovery.CA_KEY))
                    .isPresent());
    Secret tokens = secret("demo-sd-token").orElseThrow();
    String ca = decoded(tokens.getData().get(HttpServiceDiscovery.CA_KEY));
    assertThat(Pem.certificates(ca)).isEqualTo(Pem.certificates(pem("ca.crt")));
    String token = decoded(tokens.getData().get(HttpServiceDiscovery.TOKEN_KEY));

    // prometheus.yml reads https and trusts the CA file mounted from that Secret.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> secret("demo-prometheus-0-config").isPresent());
    String yaml =
        gunzip(secret("demo-prometheus-0-config").orElseThrow().getData().get("prometheus.yml.gz"));
    assertThat(yaml).contains("ca_file: " + HttpServiceDiscovery.CA_FILE);
    Matcher url = SD_URL.matcher(yaml);
    assertThat(url.find()).as("an https http_sd URL in %s", yaml).isTrue();
    String path = url.group(2);

    // A client trusting only that CA, checking the name, gets the answer over TLS.
    HttpResponse<String> answer = sd(ca, path, token);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).startsWith("[");
    assertThat(subject(answer)).isEqualTo("CN=vigil-operator rsa");
    // Not on the plain port: the token never travels in clear.
    assertThat(plainGet(plain, path).statusCode()).isEqualTo(404);

    // A renewed certificate (same CA) is served from the next connection on.
    client.resource(tls(pem("ec.crt"), pem("ec.sec1.key"), pem("ca.crt"))).update();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> subject(sd(ca, path, token)).equals("CN=vigil-operator ec"));

    // A new CA (here a self-signed certificate without ca.crt) reaches the token Secret at once.
    client.resource(tls(pem("self.crt"), pem("self.key"), null)).update();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Pem.certificates(
                        decoded(
                            secret("demo-sd-token")
                                .orElseThrow()
                                .getData()
                                .get(HttpServiceDiscovery.CA_KEY)))
                    .equals(Pem.certificates(pem("self.crt"))));
    assertThat(
            decoded(
                secret("demo-sd-token")
                    .orElseThrow()
                    .getData()
                    .get(HttpServiceDiscovery.TOKEN_KEY)))
        .isEqualTo(token);
  }

  HttpResponse<String> plainGet(HttpClient http, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vigil.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A new client (no TLS session to resume) that trusts {@code ca} only, as a shard. */
  HttpResponse<String> sd(String ca, String path, String token) throws Exception {
    HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.trusting(ca)).build();
    return https.send(
        HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + vigil.serviceDiscoveryPort() + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String subject(HttpResponse<?> response) throws Exception {
    SSLSession session = response.sslSession().orElseThrow();
    return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
  }

  static String gunzip(String base64) throws Exception {
    try (GZIPInputStream in =
        new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
