package dev.vigil.reconcilers.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * A namespaced object Vigil makes for one of the user's objects and leaves to the garbage collector
 * when that object goes. Its owner reference says Vigil controls it, which JOSDK's own reference
 * does not: {@code controller: true} (the object has one managing controller, which tools such as
 * Argo CD and {@code kubectl} show it under) and {@code blockOwnerDeletion: true} (a foreground
 * deletion of the owner, as a GitOps prune may ask for, waits until the object is gone).
 */
public abstract class ControlledDependentResource<R extends HasMetadata, P extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, P> {

  protected ControlledDependentResource(Class<R> resourceType) {
    super(resourceType);
  }

  /** JOSDK adds a reference only where none to the owner exists, so ours stays. */
  @Override
  protected void addReferenceHandlingMetadata(R desired, P primary) {
    desired.addOwnerReference(controllerReference(primary));
    super.addReferenceHandlingMetadata(desired, primary);
  }

  /** The owner reference of an object {@code owner}'s reconciler controls. */
  public static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
