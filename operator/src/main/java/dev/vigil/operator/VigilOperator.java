package dev.vigil.operator;

import dev.vigil.operator.admission.Admission;
import dev.vigil.operator.admission.AdmissionWebhooks;
import dev.vigil.operator.http.CertificateSecret;
import dev.vigil.operator.http.OperatorPorts;
import dev.vigil.operator.instrumentation.InstrumentationInformers;
import dev.vigil.operator.servicediscovery.SecretStackTokens;
import dev.vigil.operator.servicediscovery.ServiceDiscoveryHandler;
import dev.vigil.operator.targets.ShardQueryUrls;
import dev.vigil.operator.targets.TargetEngine;
import dev.vigil.reconcilers.alertpolicy.AlertPolicyReconciler;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.injection.InjectionResult;
import dev.vigil.reconcilers.injection.InstrumentationLookup;
import dev.vigil.reconcilers.injection.InstrumentedPods;
import dev.vigil.reconcilers.injection.PodInjector;
import dev.vigil.reconcilers.instrumentation.InstrumentationReconciler;
import dev.vigil.reconcilers.logpipeline.LogPipelineReconciler;
import dev.vigil.reconcilers.monitoringstack.MonitoringStackReconciler;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.podmonitor.PodMonitorReconciler;
import dev.vigil.reconcilers.rules.ExpressionCheck;
import dev.vigil.reconcilers.rules.PromQLExpressionCheck;
import dev.vigil.reconcilers.servicemonitor.ServiceMonitorReconciler;
import dev.vigil.reconcilers.state.MonitoringState;
import dev.vigil.reconcilers.tracingpipeline.TracingPipelineReconciler;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Vigil's runtime: JOSDK with every reconciler, and the HTTP server. */
public final class VigilOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigilOperator.class);

  private final OperatorConfig config;
  private final PrometheusMeterRegistry registry;
  private final Operator operator;
  private final OperatorPorts http;
  private final AdmissionWebhooks webhooks;

  /** Service discovery's TLS certificate, when it serves TLS; else null. */
  private final CertificateSecret certificate;

  private final TargetEngine targets;

  /** What the pod-mutating webhook reads: Instrumentations and TracingPipelines, every replica. */
  private final InstrumentationInformers instrumentations;

  private final SecretStackTokens tokens;
  private final ServiceDiscoveryHandler serviceDiscovery;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final KubernetesClient client;
  private final Runtime runtime;

  /** This replica's name in the Lease: the pod's name, as JOSDK would take it. */
  private final String identity;

  private volatile boolean leading;
  private volatile boolean closing;

  /**
   * How the runtime behaves beyond the user's configuration; tests that run the operator in-process
   * change these.
   *
   * @param serverSideApply patch status with server-side apply (always, on a real API server; the
   *     fabric8 mock server only understands merge patches)
   * @param exitOnLostLeadership end the process when the Lease is lost, so a replica that may be
   *     partitioned never reconciles beside the new leader (a restart makes it a standby)
   * @param observer told of every reconcile beside the exported metrics; tests count reconciles and
   *     failures per object with it
   * @param shardQueryUrls where the shards' Prometheus query APIs are, for stacks whose series
   *     Vigil reads; tests point it at their loopback processes
   */
  public record Runtime(
      boolean serverSideApply,
      boolean exitOnLostLeadership,
      Metrics observer,
      ShardQueryUrls shardQueryUrls) {
    public static final Runtime PRODUCTION = new Runtime(true, true);

    public Runtime(boolean serverSideApply, boolean exitOnLostLeadership) {
      this(serverSideApply, exitOnLostLeadership, Metrics.NOOP);
    }

    public Runtime(boolean serverSideApply, boolean exitOnLostLeadership, Metrics observer) {
      this(serverSideApply, exitOnLostLeadership, observer, ShardQueryUrls.IN_CLUSTER);
    }
  }

  public VigilOperator(OperatorConfig config, KubernetesClient client) throws IOException {
    this(config, client, Runtime.PRODUCTION);
  }

  public VigilOperator(OperatorConfig config, KubernetesClient client, Runtime runtime)
      throws IOException {
    this.config = config;
    this.client = client;
    this.runtime = runtime;
    String hostname = System.getenv("HOSTNAME");
    identity =
        hostname == null || hostname.isBlank() ? UUID.randomUUID().toString() : hostname.trim();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withMetrics(
                      new AggregatedMetrics(
                          List.of(
                              MicrometerMetrics.withoutPerResourceMetrics(registry),
                              runtime.observer())))
                  .withCloseClientOnStop(false)
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
              serverSideApply(overrider, runtime.serverSideApply());
              if (config.leaderElection()) {
                overrider.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaseName(),
                        config.leaseNamespace(),
                        config.leaseDuration(),
                        config.renewDeadline(),
                        config.retryPeriod(),
                        identity,
                        new LeaderCallbacks(
                            () -> leading = true, this::stoppedLeading, leader -> {}),
                        // JOSDK would call System.exit also when close() ends the election, from
                        // the shutdown hook, where exit blocks forever: SIGTERM then hung until
                        // SIGKILL. stoppedLeading exits only when the Lease was really lost.
                        false));
              }
            });
    targets =
        new TargetEngine(
            client,
            config.watchNamespaces(),
            config.prometheusOperatorObjects(),
            config.tenancy(),
            runtime.shardQueryUrls());
    Clock clock = Clock.systemUTC();
    certificate =
        config.serviceDiscoveryTlsSecret() == null
            ? null
            : new CertificateSecret(
                "service discovery",
                config.serviceDiscoveryTlsSecret().namespace(),
                config.serviceDiscoveryTlsSecret().name(),
                config.serviceDiscoveryUrl());
    DeploymentSettings settings =
        new DeploymentSettings(
            config.serviceDiscoveryUrl(),
            config.operatorImage(),
            certificate,
            config.tenancy(),
            config.ownNamespace());
    instrumentations =
        new InstrumentationInformers(
            client,
            config.watchNamespaces(),
            config.webhooks() != null && config.webhooks().openTelemetryAnnotations());
    for (Reconciler<?> reconciler :
        reconcilers(clock, targets, targets, settings, config.logAgentsNamespace())) {
      operator.register(
          reconciler,
          override -> {
            if (!config.watchesAllNamespaces()) {
              override.settingNamespaces(config.watchNamespaces());
            }
          });
    }
    // Discovery's size, for the operator-health dashboard.
    Gauge.builder("vigil_discovery_jobs", targets, TargetEngine::jobCount)
        .description("Jobs the operator discovers targets for, over all stacks")
        .register(registry);
    Gauge.builder("vigil_discovery_targets", targets, TargetEngine::targetCount)
        .description("Targets discovered over all jobs, before sharding")
        .register(registry);
    FunctionCounter.builder("vigil_discovery_plan_changes", targets, TargetEngine::planChanges)
        .description(
            "Changes of stacks, monitors, policies and namespaces that decide what stacks select")
        .register(registry);
    FunctionCounter.builder("vigil_discovery_plans", targets, TargetEngine::plans)
        .description(
            "Plans of every stack's selection and jobs: one for all the changes that came while"
                + " the last was made")
        .register(registry);
    Gauge.builder("vigil_informer_objects_left_out", OwnedObjectsStore::leftOutTotal)
        .description(
            "Objects labelled as Vigil's that no Vigil object controls, cached as names only")
        .register(registry);
    if (certificate != null) {
      Gauge.builder(
              "vigil_service_discovery_certificate_expiry_timestamp_seconds",
              certificate,
              c -> c.notAfter().map(t -> (double) t.getEpochSecond()).orElse(Double.NaN))
          .description("When the certificate service discovery serves expires (Unix time)")
          .register(registry);
    }
    tokens = new SecretStackTokens(client, config.watchNamespaces());
    serviceDiscovery = new ServiceDiscoveryHandler(targets, tokens, true);
    // Probes and /metrics have a port and threads of their own; service discovery shares them
    // only when it has no port of its own (plain HTTP, the default).
    http =
        OperatorPorts.open(
            config.httpPort(),
            config.serviceDiscoveryPort(),
            certificate == null ? null : certificate.certificate().sslContext(),
            config.httpLimits(),
            this::ready,
            registry,
            ServiceDiscoveryHandler.PREFIX,
            serviceDiscovery);
    webhooks =
        config.webhooks() == null
            ? null
            : new AdmissionWebhooks(
                client,
                config.webhooks(),
                config.leaseNamespace(),
                config.httpLimits(),
                new Admission(
                    new PromQLExpressionCheck(),
                    instrumenting(
                        new PodInjector(
                            instrumentations.lookup(),
                            config.webhooks().openTelemetryAnnotations())),
                    (namespace, name, key) -> {
                      var secret = client.secrets().inNamespace(namespace).withName(name).get();
                      return secret != null
                          && ((secret.getData() != null && secret.getData().containsKey(key))
                              || (secret.getStringData() != null
                                  && secret.getStringData().containsKey(key)));
                    }),
                clock);
  }

  /**
   * Status, finalizers and every object Vigil makes are written with server-side apply under the
   * field manager {@code vigil}, ConfigMaps and Secrets included: JOSDK leaves those two out by
   * default and writes them with plain updates as {@code fabric8-kubernetes-client}, so they would
   * not show Vigil as their manager nor let Vigil take back a field another writer changed.
   */
  static ConfigurationServiceOverrider serverSideApply(
      ConfigurationServiceOverrider overrider, boolean on) {
    return overrider
        .withUseSSAToPatchPrimaryResource(on)
        .withSSABasedCreateUpdateMatchForDependentResources(on)
        .withDefaultNonSSAResource(Set.of());
  }

  static List<Reconciler<?>> reconcilers(
      Clock clock,
      MonitoringState state,
      InstrumentedPods pods,
      DeploymentSettings settings,
      String logAgentsNamespace) {
    ExpressionCheck expressions = new PromQLExpressionCheck();
    return List.of(
        new MonitoringStackReconciler(clock, state, settings, expressions),
        new ServiceMonitorReconciler(clock, state, settings),
        new PodMonitorReconciler(clock, state, settings),
        new AlertPolicyReconciler(clock, state, expressions),
        new TracingPipelineReconciler(clock, settings.tenancy()),
        new LogPipelineReconciler(clock, settings.tenancy(), logAgentsNamespace),
        new InstrumentationReconciler(clock, pods));
  }

  /**
   * The Lease was lost (renewals failed for the renew deadline, e.g. the API server was away that
   * long) or close() ended the election. Lost: another replica may lead already, so this one exits
   * and its restart makes it a standby.
   */
  private void stoppedLeading() {
    boolean wasLeading = leading;
    leading = false;
    if (closing) {
      return;
    }
    if (runtime.exitOnLostLeadership()) {
      LOG.error(
          "lost the Lease {}/{} (leading: {}); exiting so that only the new leader reconciles",
          config.leaseNamespace(),
          config.leaseName(),
          wasLeading);
      // Not on this thread: exit runs the shutdown hook, which stops the executor it belongs to.
      new Thread(() -> System.exit(1), "vigil-exit").start();
    } else {
      LOG.warn("lost the Lease {}/{}", config.leaseNamespace(), config.leaseName());
    }
  }

  /**
   * Gives the Lease up after reconciling has stopped, as client-go's ReleaseOnCancel does: the
   * holder is cleared and the duration set to 1 s, so a standby takes over at its next retry (2 s)
   * instead of waiting out the lease (15 s) on every rolling update.
   */
  private void releaseLease() {
    try {
      Lease lease =
          client
              .resources(Lease.class)
              .inNamespace(config.leaseNamespace())
              .withName(config.leaseName())
              .get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      // An update, not a patch: it fails if another replica renewed it meanwhile.
      client.resource(lease).update();
      LOG.info("released the Lease {}/{}", config.leaseNamespace(), config.leaseName());
    } catch (RuntimeException e) {
      LOG.warn("could not release the Lease; a standby takes over when it expires", e);
    }
  }

  public void start() {
    if (certificate != null) {
      certificate.start(client);
    }
    // Discovery serves every replica, leader or not: standbys answer HTTP SD too.
    targets.start();
    // So does the pod-mutating webhook: every replica reads Instrumentations.
    instrumentations.start();
    http.start();
    // Every replica admits, leader or not.
    if (webhooks != null) {
      webhooks.start();
    }
    // Reconcilers read discovery's view of monitors: let it list and take in everything first,
    // so a start never writes a configuration with monitors missing (at 100,000 Pods that took
    // minutes on 2 shared cores).
    try {
      if (!targets.awaitSynced(Duration.ofMinutes(10))) {
        LOG.warn("discovery has not taken in everything after 10 minutes; starting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    LOG.info(
        "serving {}{}; watching {}; leader election {}",
        http.describe() + (webhooks == null ? "" : ", " + webhooks.describe()),
        certificate == null ? "" : " (certificate from Secret " + certificate.secret() + ")",
        config.watchesAllNamespaces() ? "all namespaces" : config.watchNamespaces(),
        config.leaderElection()
            ? "on (Lease " + config.leaseNamespace() + "/" + config.leaseName() + ")"
            : "off");
    operator.start();
    if (certificate != null) {
      // Stacks copy the CA into their token Secrets; a new one should not wait for the periodic
      // reconcile (5 minutes).
      certificate.onCaChange(targets::tellEveryStack);
    }
  }

  /**
   * Ready once JOSDK has started, every informer has synced and is healthy, discovery too, and
   * service discovery has its certificate when it serves TLS.
   */
  public boolean ready() {
    var runtime = operator.getRuntimeInfo();
    return runtime.isStarted()
        && runtime.allEventSourcesAreHealthy()
        && targets.hasSynced()
        && (certificate == null || certificate.loaded());
  }

  /** The pod webhook's mutation: the injector, with the pod's namespace's annotations. */
  private Admission.PodMutator instrumenting(PodInjector injector) {
    return (pod, namespace) -> {
      InjectionResult result =
          injector.inject(pod, namespace, targets.namespaceAnnotations(namespace));
      return new Admission.PodMutator.Mutation(result.pod(), result.warnings());
    };
  }

  /**
   * Where the pod-mutating webhook finds the Instrumentation a pod names: informer caches on every
   * replica, no API call per pod ({@link InstrumentationInformers#hasSynced} says when they have
   * listed).
   */
  public InstrumentationLookup instrumentationLookup() {
    return instrumentations.lookup();
  }

  public int httpPort() {
    return http.httpPort();
  }

  /** The webhooks' HTTPS port, or -1 when they are off. */
  public int webhookPort() {
    return webhooks == null ? -1 : webhooks.port();
  }

  /** The port service discovery is served on: its own, or the HTTP port. */
  public int serviceDiscoveryPort() {
    return http.serviceDiscoveryPort();
  }

  @Override
  public void close() {
    LOG.info("stopping");
    closing = true;
    boolean wasLeading = leading;
    operator.stop();
    if (wasLeading) {
      releaseLease();
    }
    http.close();
    if (webhooks != null) {
      webhooks.close();
    }
    if (certificate != null) {
      certificate.close();
    }
    serviceDiscovery.close();
    targets.close();
    instrumentations.close();
    tokens.close();
    gcMetrics.close();
    registry.close();
  }
}
