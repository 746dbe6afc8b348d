package dev.vigil.reconcilers.objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The order renderers take objects in: by namespace, then name, each object once, so the same
 * objects render the same bytes whatever order they came in.
 */
public final class NamespacedOrder {
  private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME =
      Comparator.comparing((HasMetadata o) -> o.getMetadata().getNamespace())
          .thenComparing(o -> o.getMetadata().getName());

  private NamespacedOrder() {}

  /**
   * @throws IllegalArgumentException when the object has no namespace or name (a caller's mistake)
   */
  public static void requireNamed(HasMetadata object) {
    if (object.getMetadata() == null
        || object.getMetadata().getNamespace() == null
        || object.getMetadata().getName() == null) {
      throw new IllegalArgumentException(object.getKind() + " without namespace or name");
    }
  }

  /**
   * The objects sorted; null is none.
   *
   * @throws IllegalArgumentException when one has no namespace or name, or one is passed twice
   */
  public static <T extends HasMetadata> List<T> sorted(Collection<T> objects) {
    List<T> list = new ArrayList<>(objects == null ? List.of() : objects);
    list.forEach(NamespacedOrder::requireNamed);
    list.sort(BY_NAMESPACE_AND_NAME);
    for (int i = 1; i < list.size(); i++) {
      if (BY_NAMESPACE_AND_NAME.compare(list.get(i - 1), list.get(i)) == 0) {
        throw new IllegalArgumentException(
            list.get(i).getKind()
                + " "
                + list.get(i).getMetadata().getNamespace()
                + "/"
                + list.get(i).getMetadata().getName()
                + " was passed more than once");
      }
    }
    return list;
  }
}
