package dev.vigil.reconcilers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.common.VigilStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.Supplier;

/**
 * Turns a freshly computed status into the reconcile result: no update when it equals the current
 * status, else a status patch carrying only name, namespace and the status, so Vigil never writes a
 * user's spec.
 */
public final class StatusChange {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusChange() {}

  public static <S extends VigilStatus, R extends CustomResource<?, S>> UpdateControl<R> of(
      R current, S desired, Supplier<R> emptyOfSameKind) {
    if (current.getStatus() != null
        && JSON.valueToTree(current.getStatus()).equals(JSON.valueToTree(desired))) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(statusPatch(current, desired, emptyOfSameKind));
  }

  /** A fresh object of the same kind holding only name, namespace and the status. */
  public static <S extends VigilStatus, R extends CustomResource<?, S>> R statusPatch(
      R current, S status, Supplier<R> emptyOfSameKind) {
    R patch = emptyOfSameKind.get();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(current.getMetadata().getName())
            .withNamespace(current.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
