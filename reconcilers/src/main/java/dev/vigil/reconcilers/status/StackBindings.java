package dev.vigil.reconcilers.status;

import dev.vigil.api.v1alpha1.common.StackBinding;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The per-stack entries of a monitor's or policy's status. */
public final class StackBindings {
  private StackBindings() {}

  /** The conditions a status had for one stack, so unchanged ones keep their transition time. */
  public static List<Condition> previousConditions(
      List<StackBinding> previous, String namespace, String name) {
    if (previous == null) {
      return List.of();
    }
    return previous.stream()
        .filter(b -> namespace.equals(b.namespace) && name.equals(b.name))
        .findFirst()
        .map(b -> b.conditions)
        .orElse(List.of());
  }
}
