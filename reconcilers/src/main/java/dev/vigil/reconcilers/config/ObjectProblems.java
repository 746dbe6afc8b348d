package dev.vigil.reconcilers.config;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The problems a configuration build finds, object by object, and the guard around each part it
 * builds from one object, so that nothing an object holds can break the rest of the configuration.
 */
public final class ObjectProblems {
  private final List<ObjectProblem> problems = new ArrayList<>();

  /**
   * Builds one part of the configuration from one object: the part, or nothing and a problem. A
   * {@link PartLeftOut} gives the problem its message; any other exception the object causes is
   * reported as {@code cannot be rendered}. A failed read of a referenced Secret is not the
   * object's fault: the {@link KubernetesClientException} is thrown on, so the reconcile fails and
   * is retried instead of dropping the object.
   *
   * @param suffix added to the problem's message, or null
   */
  public <T> Optional<T> attempt(HasMetadata object, String suffix, Supplier<T> build) {
    String message;
    try {
      return Optional.of(build.get());
    } catch (PartLeftOut e) {
      message = e.getMessage();
    } catch (KubernetesClientException e) {
      throw e;
    } catch (RuntimeException e) {
      message = "cannot be rendered: " + e;
    }
    add(object, suffix == null ? message : message + "; " + suffix);
    return Optional.empty();
  }

  /** Reports a problem of the object. */
  public void add(HasMetadata object, String message) {
    problems.add(
        new ObjectProblem(
            object.getKind(),
            object.getMetadata().getNamespace(),
            object.getMetadata().getName(),
            message));
  }

  /** The problems in the order they were found. */
  public List<ObjectProblem> list() {
    return List.copyOf(problems);
  }
}
