package dev.vigil.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What the operator's HTTP service discovery answers one stack's shard, read as its Prometheus
 * reads it: with the bearer token of the stack's {@code <stack>-sd-token} Secret, on 127.0.0.1.
 *
 * @param admin reads the token Secret
 * @param port the operator's plain HTTP port
 * @param namespace the stack's namespace
 * @param stack the stack's name
 * @param shard the shard asked for
 */
public record StackServiceDiscovery(
    KubernetesClient admin, int port, String namespace, String stack, int shard) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The job's target groups; the answer must be 200. */
  public JsonNode answer(String job) throws Exception {
    HttpResponse<String> response = get(job);
    assertThat(response.statusCode())
        .as("GET %s: %s", response.uri(), response.body())
        .isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The HTTP status of the job's answer: 503 while the stack's placement is being read. */
  public int status(String job) throws Exception {
    return get(job).statusCode();
  }

  /** The {@code host:port} of every target of the job, in the order served. */
  public List<String> targets(String job) throws Exception {
    List<String> targets = new ArrayList<>();
    for (JsonNode group : answer(job)) {
      group.get("targets").forEach(t -> targets.add(t.asText()));
    }
    return targets;
  }

  private HttpResponse<String> get(String job) throws Exception {
    Secret tokenSecret = admin.secrets().inNamespace(namespace).withName(stack + "-sd-token").get();
    assertThat(tokenSecret).as("token Secret").isNotNull();
    String token =
        new String(
            Base64.getDecoder().decode(tokenSecret.getData().get("token")), StandardCharsets.UTF_8);
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/sd/v1/"
                + namespace
                + "/"
                + stack
                + "/"
                + shard
                + "/"
                + URLEncoder.encode(job, StandardCharsets.UTF_8));
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
