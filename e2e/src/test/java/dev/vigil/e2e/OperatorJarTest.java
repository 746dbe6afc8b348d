package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.e2e.harness.OperatorProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded operator jar offers fabric8 exactly one HTTP client, the JDK one: with two, fabric8
 * picks one at random at start-up, and Vert.x's does not retry a stale pooled connection's
 * HttpClosedException (fabric8io/kubernetes-client#7450), which once failed an informer start.
 */
class OperatorJarTest {
  @Test
  void offersFabric8OnlyTheJdkHttpClient() throws Exception {
    try (JarFile jar = new JarFile(OperatorProcess.JAR.toFile())) {
      var entry =
          jar.getJarEntry("META-INF/services/io.fabric8.kubernetes.client.http.HttpClient$Factory");
      assertThat(entry).as("fabric8's HTTP client service file").isNotNull();
      List<String> factories =
          new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .toList();
      assertThat(factories)
          .containsExactly("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory");
      assertThat(jar.getJarEntry("io/fabric8/kubernetes/client/vertx/")).isNull();
    }
  }
}
