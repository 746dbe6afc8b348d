package dev.vigil.operator.admission;

import dev.vigil.operator.http.CertificateSecret;
import dev.vigil.operator.http.HttpLimits;
import dev.vigil.operator.http.HttpListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhooks as a running part of every replica: the HTTPS listener ({@link AdmissionEndpoint}),
 * its certificate from the Secret ({@link CertificateSecret}, reloaded when it changes), and,
 * unless cert-manager does both, the certificate's upkeep ({@link WebhookCertificates}, at start
 * and every {@link #CHECK_EVERY}) and the configurations' trust in its CA ({@link
 * WebhookConfigurations}, whenever the CA bundle changes).
 */
public final class AdmissionWebhooks implements AutoCloseable {
  static final Duration CHECK_EVERY = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionWebhooks.class);

  private final WebhookSettings settings;
  private final CertificateSecret certificate;
  private final WebhookCertificates certificates;
  private final WebhookConfigurations configurations;
  private final HttpListener listener;
  private final ScheduledExecutorService upkeep;
  private final KubernetesClient client;
  private final UninstrumentedPods uninstrumented;

  public AdmissionWebhooks(
      KubernetesClient client,
      WebhookSettings settings,
      String operatorNamespace,
      HttpLimits limits,
      Admission admission,
      Clock clock)
      throws IOException {
    this.client = client;
    this.settings = settings;
    String url =
        settings.url() != null ? settings.url() : "https://" + settings.hosts().get(0) + ":443";
    this.certificate =
        new CertificateSecret(
            "the webhooks", settings.tlsSecretNamespace(), settings.tlsSecretName(), url);
    this.certificates =
        settings.certManager()
            ? null
            : new WebhookCertificates(
                client,
                settings.tlsSecretNamespace(),
                settings.tlsSecretName(),
                settings.hosts(),
                clock);
    this.configurations =
        settings.certManager()
            ? null
            : new WebhookConfigurations(client, settings.target(), operatorNamespace);
    this.listener =
        HttpListener.tls(
            "webhook", settings.port(), limits, certificate.certificate().sslContext());
    this.uninstrumented = new UninstrumentedPods(client, clock);
    admission.recordEventsWith(uninstrumented);
    AdmissionEndpoint endpoint = new AdmissionEndpoint(admission);
    listener.add(AdmissionEndpoint.VALIDATE, endpoint);
    listener.add(AdmissionEndpoint.MUTATE_PODS, endpoint);
    this.upkeep =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "vigil-webhook-certificates");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Makes the certificate if due, loads it, starts serving, and keeps the configurations' CA. */
  public void start() {
    if (certificates != null) {
      renew();
      certificate.onCaChange(() -> upkeep.execute(this::trust));
    }
    certificate.start(client);
    if (configurations != null) {
      trust();
      upkeep.scheduleWithFixedDelay(
          this::renew, CHECK_EVERY.toSeconds(), CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
    }
    listener.start();
  }

  /** Renews what is due now (also called by tests to force a renewal's code path). */
  void renew() {
    try {
      certificates.ensure();
    } catch (RuntimeException e) {
      LOG.error(
          "could not make or renew the webhooks' certificate; retrying in {}", CHECK_EVERY, e);
    }
  }

  private void trust() {
    try {
      certificate.pem().ifPresent(configurations::trust);
    } catch (RuntimeException e) {
      LOG.error("could not set the webhook configurations' CA bundle", e);
    }
  }

  public int port() {
    return listener.port();
  }

  public String describe() {
    return "admission webhooks over HTTPS on port "
        + listener.port()
        + (settings.url() != null
            ? " (reached at " + settings.url() + ")"
            : " (Service " + settings.serviceNamespace() + "/" + settings.serviceName() + ")");
  }

  @Override
  public void close() {
    upkeep.shutdownNow();
    listener.close();
    uninstrumented.close();
    certificate.close();
  }
}
