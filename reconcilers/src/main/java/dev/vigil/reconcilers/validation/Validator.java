package dev.vigil.reconcilers.validation;

import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;

/**
 * Checks one kind's objects for what the schema cannot: a plain class the kind's reconciler calls
 * before it acts, and an admission webhook can call before the object is stored. Pure: it reads
 * only the object (and, where a kind needs more, what its constructor is given).
 */
public interface Validator<T extends CustomResource<?, ?>> {
  /** The kind's own problems, for an object whose shape is whole (a spec, no null list items). */
  List<Problem> problems(T object);

  /**
   * Every problem: first the holes only an API server without the schema stores (no spec, a null
   * list item), so the kind's checks can walk its lists; then the kind's own.
   */
  default List<Problem> validate(T object) {
    if (object.getSpec() == null) {
      return List.of(Problem.of("spec is missing: every " + object.getKind() + " needs one"));
    }
    List<Problem> holes = Problem.of(NullListItems.problems("spec", object.getSpec()));
    return holes.isEmpty() ? problems(object) : holes;
  }
}
