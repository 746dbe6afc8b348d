package dev.vigil.reconcilers.dependents;

import dev.vigil.reconcilers.objects.ObjectStub;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informer cache of a dependent's objects, bounded whatever anyone else creates. A dependent's
 * informer lists what carries its labels ({@code app.kubernetes.io/managed-by: vigil} and a
 * component), and anyone who may create a Secret or a ConfigMap may put those labels on thousands
 * of them: cached whole, they would fill the operator's heap.
 *
 * <p>So the cache keeps an object whole only when a Vigil object controls it (a {@code controller}
 * owner reference of the {@value #GROUP} group), and at most {@link #PER_OWNER} objects per owner:
 * more than any kind makes (a stack has at most 100 shards). Of every other object it keeps a stub:
 * name, namespace, uid and resourceVersion, a few hundred bytes, which JOSDK maps to no owner, so
 * nothing reconciles for it. The stubs are counted ({@link #leftOutTotal()}, the operator's {@code
 * vigil_informer_objects_left_out} metric) and each namespace holding any is logged once, with the
 * kind.
 *
 * <p>Set as the {@code itemStore} of every {@link ControlledDependentResource}'s informer, which
 * watches all namespaces ({@code namespaces = Constants.WATCH_ALL_NAMESPACES}) even when the
 * operator watches a list: JOSDK hands one store instance to every informer of a configuration, and
 * with one informer per namespace, one informer's relist would drop the others' objects from the
 * shared store. One informer per dependent, its label selector and this store bound what it caches.
 * {@code OwnedObjectsStoreTest} checks that no dependent misses either.
 */
public class OwnedObjectsStore<T extends HasMetadata> implements ItemStore<T> {
  /** The API group of the objects that own what Vigil makes. */
  public static final String GROUP = "monitoring.vigil.dev";

  /**
   * The page size of the informer's lists: a namespace holding thousands of labelled objects is
   * read a page at a time, never as one response.
   */
  public static final long LIST_LIMIT = 500;

  /** The most objects one owner's informer keeps whole. */
  public static final int PER_OWNER = 256;

  private static final Logger LOG = LoggerFactory.getLogger(OwnedObjectsStore.class);

  /** Every store of this process, weakly: an operator that closed (in tests) lets its go. */
  private static final List<WeakReference<OwnedObjectsStore<?>>> STORES =
      new CopyOnWriteArrayList<>();

  private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  /** Key → uid of the owner of each object kept whole. */
  private final Map<String, String> owners = new HashMap<>();

  /** Owner uid → keys of its objects kept whole. */
  private final Map<String, Set<String>> owned = new HashMap<>();

  /** Keys of the objects kept as stubs. */
  private final Set<String> stubs = new HashSet<>();

  private final Set<String> namespacesLogged = new HashSet<>();
  private final AtomicLong leftOut = new AtomicLong();

  /** The kind of the objects this store holds, once it holds one. */
  private volatile String kind;

  public OwnedObjectsStore() {
    STORES.removeIf(store -> store.get() == null);
    STORES.add(new WeakReference<>(this));
  }

  /** Objects cached as stubs now, over every store of this process. */
  public static long leftOutTotal() {
    return STORES.stream()
        .map(WeakReference::get)
        .filter(java.util.Objects::nonNull)
        .mapToLong(OwnedObjectsStore::leftOut)
        .sum();
  }

  /** How many objects this store holds as stubs now. */
  public long leftOut() {
    return leftOut.get();
  }

  @Override
  public String getKey(T object) {
    return items.getKey(object);
  }

  @Override
  public synchronized T put(String key, T object) {
    kind = object.getClass().getSimpleName();
    forget(key);
    String owner = controllingOwner(object);
    if (owner != null && owned.computeIfAbsent(owner, k -> new HashSet<>()).size() < PER_OWNER) {
      owned.get(owner).add(key);
      owners.put(key, owner);
      return items.put(key, object);
    }
    stubs.add(key);
    leftOut.set(stubs.size());
    String namespace = object.getMetadata().getNamespace();
    if (namespacesLogged.add(namespace)) {
      LOG.warn(
          "Namespace {} holds {} objects labelled as Vigil's that {}; the operator caches only"
              + " their names (see docs/tenancy.md)",
          namespace,
          kind,
          owner == null
              ? "no Vigil object controls"
              : "exceed the " + PER_OWNER + " one Vigil object may own");
    }
    return items.put(key, ObjectStub.of(object));
  }

  @Override
  public synchronized T remove(String key) {
    forget(key);
    return items.remove(key);
  }

  private void forget(String key) {
    String owner = owners.remove(key);
    if (owner != null) {
      Set<String> keys = owned.get(owner);
      keys.remove(key);
      if (keys.isEmpty()) {
        owned.remove(owner);
      }
    }
    if (stubs.remove(key)) {
      leftOut.set(stubs.size());
    }
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<T> values() {
    return items.values();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }

  @Override
  public int size() {
    return items.size();
  }

  /** The uid of the Vigil object that controls this one, or null. */
  static String controllingOwner(HasMetadata object) {
    List<OwnerReference> references = object.getMetadata().getOwnerReferences();
    if (references == null) {
      return null;
    }
    for (OwnerReference reference : references) {
      if (Boolean.TRUE.equals(reference.getController())
          && reference.getApiVersion() != null
          && reference.getApiVersion().startsWith(GROUP + "/")
          && reference.getUid() != null) {
        return reference.getUid();
      }
    }
    return null;
  }
}
