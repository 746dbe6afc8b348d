package dev.vigil.operator.reloader;

import dev.vigil.operator.http.HttpEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * {@code vigil-operator reloader ...}: the process around a {@link Reloader}. With {@code --once}
 * it writes the files and exits (0 when written, 1 on timeout); otherwise it serves {@code
 * /healthz}, {@code /readyz} and {@code /metrics} and runs until SIGTERM.
 */
public final class ReloaderCommand {
  private ReloaderCommand() {}

  /** Runs the mode; {@code args} are the arguments after {@code reloader}. */
  public static void main(List<String> args, Map<String, String> env) throws Exception {
    if (args.contains("--help") || args.contains("-h")) {
      System.out.print(ReloaderConfig.usage());
      return;
    }
    ReloaderConfig config;
    try {
      config = ReloaderConfig.from(args, env);
    } catch (IllegalArgumentException e) {
      System.err.println("vigil-operator reloader: " + e.getMessage());
      System.err.print(ReloaderConfig.usage());
      System.exit(2);
      return;
    }
    // slf4j-simple reads its level once, when the first logger is made.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", config.logLevel());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    KubernetesClient client = new KubernetesClientBuilder().build();
    ReloaderMetrics metrics = new ReloaderMetrics(Clock.systemUTC());
    Reloader reloader = new Reloader(config, client, metrics);
    if (config.once()) {
      boolean written = reloader.writeOnce(config.onceTimeout());
      reloader.close();
      client.close();
      System.exit(written ? 0 : 1);
      return;
    }
    HttpEndpoints http = new HttpEndpoints(config.httpPort(), reloader::ready, metrics.registry());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  http.close();
                  reloader.close();
                  client.close();
                  stopped.countDown();
                },
                "vigil-reloader-shutdown"));
    http.start();
    LoggerFactory.getLogger(ReloaderCommand.class)
        .info("serving /healthz, /readyz and /metrics on port {}", http.port());
    reloader.start();
    stopped.await();
  }
}
