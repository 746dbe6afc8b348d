package dev.vigil.operator.informers;

import dev.vigil.reconcilers.objects.TrimmingStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Starting the operator's own informers: over the watched namespaces, caching trimmed objects. */
public final class Informers {
  private Informers() {}

  /** The operation over all namespaces when {@code namespaces} is empty, else one per namespace. */
  public static <T extends HasMetadata, L, R extends Resource<T>>
      List<AnyNamespaceOperation<T, L, R>> scopes(
          MixedOperation<T, L, R> operation, Set<String> namespaces) {
    List<AnyNamespaceOperation<T, L, R>> scopes = new ArrayList<>();
    if (namespaces.isEmpty()) {
      scopes.add(operation.inAnyNamespace());
    } else {
      namespaces.forEach(namespace -> scopes.add(operation.inNamespace(namespace)));
    }
    return scopes;
  }

  /**
   * The page size of the informers' lists (and re-lists after a watch expires): without it the
   * first list of a cluster's Pods is one response, all of it in memory at once, whole objects,
   * before any is trimmed.
   */
  public static final long LIST_LIMIT = 500;

  /**
   * Starts an informer whose cache keeps only {@code trim} of each object, so a big cluster's Pods
   * and EndpointSlices never sit in memory whole; it lists {@link #LIST_LIMIT} objects a page.
   * Waits until it has synced.
   */
  public static <T extends HasMetadata> SharedIndexInformer<T> trimmed(
      Informable<T> informable, UnaryOperator<T> trim, ResourceEventHandler<? super T> handler) {
    return trimmed(informable, new TrimmingStore<>(trim), handler);
  }

  /** As above, with a store the caller holds (to read the trimmed copies it keeps). */
  public static <T extends HasMetadata> SharedIndexInformer<T> trimmed(
      Informable<T> informable, TrimmingStore<T> store, ResourceEventHandler<? super T> handler) {
    return informable
        .withLimit(LIST_LIMIT)
        .runnableInformer(0)
        .itemStore(store)
        .addEventHandler(handler)
        .run();
  }
}
