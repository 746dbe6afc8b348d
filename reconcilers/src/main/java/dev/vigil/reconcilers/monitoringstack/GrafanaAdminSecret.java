package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Grafana's admin credentials when the stack names no Secret of its own: made once ({@code
 * admin-user: admin}, a random {@code admin-password}) and kept, never logged or put in status.
 * Users read the password with kubectl.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = GrafanaAdminSecret.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class GrafanaAdminSecret extends ControlledDependentResource<Secret, MonitoringStack> {
  static final String COMPONENT = "grafana-admin";
  static final String SELECTOR = StackLabels.VIGILS_COMPONENT + COMPONENT;
  public static final String USER_KEY = "admin-user";
  public static final String PASSWORD_KEY = "admin-password";
  private static final SecureRandom RANDOM = new SecureRandom();

  public GrafanaAdminSecret() {
    super(Secret.class);
  }

  public static String name(MonitoringStack stack) {
    return stack.getMetadata().getName() + "-grafana-admin";
  }

  /** The Secret Grafana reads its admin credentials from: the stack's own, or the generated one. */
  static String inUse(MonitoringStack stack) {
    String own = stack.getSpec().grafana.adminCredentialsSecret;
    return own == null || own.isBlank() ? name(stack) : own;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected Secret desired(MonitoringStack stack, Context<MonitoringStack> context) {
    // Looked up by name in this dependent's own informer: the password is made once and kept.
    String password =
        eventSource()
            .flatMap(s -> s.get(new ResourceID(name(stack), stack.getMetadata().getNamespace())))
            .map(Secret::getData)
            .map(data -> data.get(PASSWORD_KEY))
            .filter(v -> !v.isBlank())
            .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8))
            .or(() -> Optional.of(newPassword()))
            .get();
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, COMPONENT))
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of(
                USER_KEY, base64("admin"),
                PASSWORD_KEY, base64(password)))
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  static String newPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
