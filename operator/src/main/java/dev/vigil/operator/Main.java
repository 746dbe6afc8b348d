package dev.vigil.operator;

import dev.vigil.operator.reloader.ReloaderCommand;
import dev.vigil.operator.reloader.ReloaderConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts Vigil; SIGTERM (or Ctrl-C) stops it gracefully. With the first argument {@code reloader}
 * the jar runs the Prometheus reloader sidecar instead (see {@link ReloaderCommand}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    List<String> arguments = Arrays.asList(args);
    if (!arguments.isEmpty() && arguments.get(0).equals(ReloaderConfig.COMMAND)) {
      ReloaderCommand.main(arguments.subList(1, arguments.size()), System.getenv());
      return;
    }
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.print(OperatorConfig.usage());
      System.out.println(
          "\nvigil-operator reloader --help: the Prometheus reloader sidecar's flags");
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.from(arguments, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("vigil-operator: " + e.getMessage());
      System.err.print(OperatorConfig.usage());
      System.exit(2);
      return;
    }
    // slf4j-simple reads its level once, when the first logger is made.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", config.logLevel());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    KubernetesClient client = new KubernetesClientBuilder().build();
    VigilOperator vigil = new VigilOperator(config, client);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  vigil.close();
                  client.close();
                  stopped.countDown();
                },
                "vigil-shutdown"));
    vigil.start();
    stopped.await();
  }
}
