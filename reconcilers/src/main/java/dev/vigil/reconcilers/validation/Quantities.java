package dev.vigil.reconcilers.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks resource quantities ({@code 500m}, {@code 2Gi}) in a spec. The CRDs type them as
 * int-or-string without a pattern, as Kubernetes' own types do, so a real API server stores {@code
 * cpu: lots}; the Deployment Vigil would write from it is refused, and fabric8 fails comparing it.
 */
public final class Quantities {
  private Quantities() {}

  /** A problem naming {@code path} when {@code quantity} is set and is not a valid quantity. */
  public static List<String> problems(String path, Quantity quantity) {
    if (quantity == null) {
      return List.of();
    }
    BigDecimal amount;
    try {
      amount = Quantity.getAmountInBytes(quantity);
    } catch (RuntimeException e) {
      return List.of(
          "%s \"%s\" is not a quantity: write a number with an optional suffix, e.g. 500m, 2Gi"
              .formatted(path, quantity));
    }
    if (amount.signum() < 0) {
      return List.of("%s \"%s\" is negative".formatted(path, quantity));
    }
    return List.of();
  }

  /** Problems of every request and limit of {@code resources}, under {@code path}. */
  public static List<String> problems(String path, ResourceRequirements resources) {
    List<String> problems = new ArrayList<>();
    if (resources == null) {
      return problems;
    }
    problems.addAll(problems(path + ".requests", resources.getRequests()));
    problems.addAll(problems(path + ".limits", resources.getLimits()));
    return problems;
  }

  private static List<String> problems(String path, Map<String, Quantity> quantities) {
    List<String> problems = new ArrayList<>();
    if (quantities != null) {
      quantities.forEach((name, q) -> problems.addAll(problems(path + "." + name, q)));
    }
    return problems;
  }
}
