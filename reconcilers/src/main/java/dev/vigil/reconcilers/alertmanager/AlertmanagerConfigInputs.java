package dev.vigil.reconcilers.alertmanager;

import dev.vigil.reconcilers.references.MountedKey;
import java.util.function.Predicate;

/**
 * What {@link AlertmanagerConfigBuilder} needs besides the stack and its policies.
 *
 * @param keyExists whether a Secret key the configuration would read as a file exists; a policy
 *     referencing a missing key is left out and reported, a stack setting referencing one is
 *     dropped and reported. Null: every key exists
 */
public record AlertmanagerConfigInputs(Predicate<MountedKey> keyExists) {
  public AlertmanagerConfigInputs {
    keyExists = keyExists == null ? key -> true : keyExists;
  }

  /** Inputs in which every referenced key exists. */
  public static AlertmanagerConfigInputs of() {
    return new AlertmanagerConfigInputs(null);
  }
}
