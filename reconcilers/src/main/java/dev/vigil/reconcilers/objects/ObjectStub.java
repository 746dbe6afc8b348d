package dev.vigil.reconcilers.objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.lang.reflect.InvocationTargetException;

/**
 * An object reduced to what tells it apart: its name, namespace, uid and resourceVersion. What an
 * informer cache keeps of an object it must know of but need not read, so that its size does not
 * depend on the object's.
 */
public final class ObjectStub {
  private ObjectStub() {}

  @SuppressWarnings("unchecked")
  public static <T extends HasMetadata> T of(T object) {
    try {
      T stub = (T) object.getClass().getDeclaredConstructor().newInstance();
      ObjectMeta meta = object.getMetadata();
      ObjectMeta kept = new ObjectMeta();
      kept.setName(meta.getName());
      kept.setNamespace(meta.getNamespace());
      kept.setUid(meta.getUid());
      kept.setResourceVersion(meta.getResourceVersion());
      stub.setMetadata(kept);
      return stub;
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalStateException("cannot make a stub of " + object.getClass(), e);
    }
  }
}
