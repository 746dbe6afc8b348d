package dev.vigil.reconcilers.references;

import dev.vigil.reconcilers.objects.ObjectStub;
import dev.vigil.reconcilers.objects.TrimmingStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event source that runs a reconciler again when a Secret or ConfigMap its last reconcile read
 * changes, appears or goes: a rotated scrape token or receiver key reaches the running stack in
 * seconds, not at the next periodic reconcile.
 *
 * <p>Each object read is watched by name (a field-selected watch, as the kubelet watches the
 * Secrets its pods mount), for as long as some object's last reconcile read it: never every Secret,
 * and each cache holds only the object's name and resourceVersion. A change is one whose
 * resourceVersion differs from the one the reconcile read, so starting a watch never reconciles
 * again by itself. At most {@link #MOST_WATCHED} objects are watched; beyond that, a change waits
 * for the periodic reconcile, and the log says so once.
 */
public final class ReferenceWatches<P extends HasMetadata> extends SimpleInboundEventSource<P> {
  /** The most objects watched at once, over all of one reconciler's objects. */
  public static final int MOST_WATCHED = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(ReferenceWatches.class);

  private final Map<ResourceID, Set<ReferencedObject>> byPrimary = new HashMap<>();
  private final Map<ReferencedObject, Watched> watched = new HashMap<>();
  private boolean warnedFull;
  private long calls;

  /** Every so many {@link #watch} calls, primaries no longer cached are forgotten. */
  static final int PRUNE_EVERY = 64;

  public ReferenceWatches() {
    super("references");
  }

  /** One watched object: the version last acted on ("" = absent), and who read it. */
  private static final class Watched {
    final Set<ResourceID> readers = new HashSet<>();
    String version;
    SharedIndexInformer<? extends HasMetadata> informer;

    Watched(String version) {
      this.version = version;
    }
  }

  /**
   * What the primary's reconcile just read ({@link ReferencedValues#objectsRead()}), in place of
   * what it read before: new objects are watched, objects no one reads any more are not. Now and
   * then, what primaries that are gone read is let go too (a kind without a finalizer hears of no
   * deletion).
   */
  public synchronized void watch(Context<P> context, P reader, Map<ReferencedObject, String> read) {
    if (++calls % PRUNE_EVERY == 0) {
      for (ResourceID gone :
          byPrimary.keySet().stream()
              .filter(id -> context.getPrimaryCache().get(id).isEmpty())
              .toList()) {
        forget(gone);
      }
    }
    KubernetesClient client = context.getClient();
    ResourceID primary = ResourceID.fromResource(reader);
    Set<ReferencedObject> now = new HashSet<>();
    for (Map.Entry<ReferencedObject, String> entry : read.entrySet()) {
      ReferencedObject object = entry.getKey();
      Watched known = watched.get(object);
      if (known == null) {
        if (watched.size() >= MOST_WATCHED) {
          if (!warnedFull) {
            warnedFull = true;
            LOG.warn(
                "Watching {} referenced Secrets and ConfigMaps already; a change of {} and any"
                    + " more reaches their configuration at the next periodic reconcile",
                MOST_WATCHED,
                object);
          }
          continue;
        }
        known = new Watched(entry.getValue());
        known.informer = start(client, object);
        watched.put(object, known);
      } else {
        known.version = entry.getValue();
      }
      known.readers.add(primary);
      now.add(object);
    }
    for (ReferencedObject before : byPrimary.getOrDefault(primary, Set.of())) {
      if (!now.contains(before)) {
        release(before, primary);
      }
    }
    if (now.isEmpty()) {
      byPrimary.remove(primary);
    } else {
      byPrimary.put(primary, now);
    }
  }

  /** The primary is gone: nothing it read is watched for it any more. */
  public synchronized void forget(ResourceID primary) {
    for (ReferencedObject object : byPrimary.getOrDefault(primary, Set.of())) {
      release(object, primary);
    }
    byPrimary.remove(primary);
  }

  /** How many objects are watched now. */
  public synchronized int watchedCount() {
    return watched.size();
  }

  @Override
  public synchronized void stop() {
    watched.values().forEach(w -> w.informer.close());
    watched.clear();
    byPrimary.clear();
    super.stop();
  }

  private void release(ReferencedObject object, ResourceID primary) {
    Watched known = watched.get(object);
    if (known != null && known.readers.remove(primary) && known.readers.isEmpty()) {
      known.informer.close();
      watched.remove(object);
    }
  }

  /** The object now has this resourceVersion ("" = gone): its readers reconcile if it changed. */
  private void seen(ReferencedObject object, String version) {
    Set<ResourceID> readers;
    synchronized (this) {
      Watched known = watched.get(object);
      if (known == null || version.equals(known.version)) {
        return;
      }
      known.version = version;
      readers = Set.copyOf(known.readers);
    }
    readers.forEach(this::propagateEvent);
  }

  private SharedIndexInformer<? extends HasMetadata> start(
      KubernetesClient client, ReferencedObject object) {
    Informable<? extends HasMetadata> named =
        object.source() == MountedKey.Source.SECRET
            ? client.secrets().inNamespace(object.namespace()).withName(object.name())
            : client.configMaps().inNamespace(object.namespace()).withName(object.name());
    return inform(named, object);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(
      Informable<T> named, ReferencedObject object) {
    SharedIndexInformer<T> informer =
        named
            .runnableInformer(0)
            .itemStore(new TrimmingStore<T>(ObjectStub::of))
            .addEventHandler(
                new ResourceEventHandler<T>() {
                  @Override
                  public void onAdd(T added) {
                    seen(object, added.getMetadata().getResourceVersion());
                  }

                  @Override
                  public void onUpdate(T before, T after) {
                    seen(object, after.getMetadata().getResourceVersion());
                  }

                  @Override
                  public void onDelete(T deleted, boolean finalStateUnknown) {
                    seen(object, "");
                  }
                });
    informer.start();
    return informer;
  }
}
