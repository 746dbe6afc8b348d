package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.DeploymentSettings;
import dev.vigil.reconcilers.objects.StackLabels;
import dev.vigil.reconcilers.prometheus.HttpServiceDiscovery;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Secret holding the bearer token a stack's Prometheus presents to Vigil's HTTP service
 * discovery. The token is made once and kept: a match only asks that a token is there, so
 * reconciles never rotate it behind running Prometheus pods.
 *
 * <p>When the operator serves service discovery over TLS with a certificate of its own, the Secret
 * also carries the CA bundle the shards trust ({@value HttpServiceDiscovery#CA_KEY}, mounted beside
 * the token): a copy of the operator's, in every stack's namespace, which reconciles keep equal to
 * it.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ServiceDiscoveryTokenSecret.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class ServiceDiscoveryTokenSecret
    extends ControlledDependentResource<Secret, MonitoringStack> {
  public static final String COMPONENT = "sd-token";
  public static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;
  public static final String KEY = HttpServiceDiscovery.TOKEN_KEY;
  public static final String CA_KEY = HttpServiceDiscovery.CA_KEY;
  private static final SecureRandom RANDOM = new SecureRandom();

  public ServiceDiscoveryTokenSecret() {
    super(Secret.class);
  }

  public static String name(MonitoringStack stack) {
    return name(stack.getMetadata().getName());
  }

  public static String name(String stackName) {
    return stackName + "-sd-token";
  }

  @Override
  protected Secret desired(MonitoringStack stack, Context<MonitoringStack> context) {
    String token =
        // Looked up by name in this dependent's own informer: getSecondaryResource would ask
        // desired() for the name, and come back here.
        existingToken(
                eventSource()
                    .flatMap(
                        informer ->
                            informer.get(
                                new ResourceID(name(stack), stack.getMetadata().getNamespace()))))
            .orElseGet(ServiceDiscoveryTokenSecret::newToken);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withType("Opaque")
        .withData(data(token, ca(context)))
        .build();
  }

  /**
   * The Secret's data: the token, and the CA bundle when there is one; base64 as the API has it.
   */
  static Map<String, String> data(String token, Optional<String> ca) {
    Map<String, String> data = new TreeMap<>();
    data.put(KEY, base64(token));
    ca.ifPresent(pem -> data.put(CA_KEY, base64(pem)));
    return data;
  }

  /** The CA bundle the shards are to trust, as this reconcile's settings give it. */
  private static Optional<String> ca(Context<MonitoringStack> context) {
    DeploymentSettings settings = ScraperPlan.of(context).settings();
    return settings.serviceDiscoveryTls()
        ? settings.serviceDiscoveryCa().pem().filter(pem -> !pem.isBlank())
        : Optional.empty();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Matcher.Result<Secret> match(
      Secret actual, MonitoringStack stack, Context<MonitoringStack> context) {
    boolean labelled =
        StackLabels.of(stack, COMPONENT).entrySet().stream()
            .allMatch(
                e ->
                    actual.getMetadata().getLabels() != null
                        && e.getValue().equals(actual.getMetadata().getLabels().get(e.getKey())));
    String actualCa = actual.getData() == null ? null : actual.getData().get(CA_KEY);
    boolean sameCa =
        Objects.equals(actualCa, ca(context).map(ServiceDiscoveryTokenSecret::base64).orElse(null));
    return Matcher.Result.nonComputed(
        labelled && sameCa && existingToken(Optional.of(actual)).isPresent());
  }

  public static Optional<String> existingToken(Optional<Secret> secret) {
    return secret
        .map(Secret::getData)
        .map(data -> data.get(KEY))
        .filter(value -> !value.isBlank())
        .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
  }

  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
