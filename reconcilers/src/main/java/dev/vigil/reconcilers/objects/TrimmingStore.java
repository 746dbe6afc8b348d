package dev.vigil.reconcilers.objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/**
 * An informer store that keeps a trimmed copy of each object ({@link ObjectStub#of}, or the fields
 * discovery reads), so what an informer caches does not grow with the objects' size. Events still
 * carry the whole object.
 */
public final class TrimmingStore<T extends HasMetadata> extends BasicItemStore<T> {
  private final UnaryOperator<T> trim;

  public TrimmingStore(UnaryOperator<T> trim) {
    super(Cache::metaNamespaceKeyFunc);
    this.trim = trim;
  }

  @Override
  public T put(String key, T object) {
    return super.put(key, trim.apply(object));
  }
}
