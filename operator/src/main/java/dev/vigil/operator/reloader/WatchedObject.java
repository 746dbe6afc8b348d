package dev.vigil.operator.reloader;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer on exactly one named object: its list and watch carry the field selector {@code
 * metadata.name=<name>}, so a Role with {@code resourceNames: [<name>]} and the verbs get, list and
 * watch is all it needs, and nothing else of that kind is ever cached.
 */
final class WatchedObject<T extends HasMetadata> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedObject.class);

  private final KubernetesClient client;
  private final Class<T> type;
  private final String namespace;
  private final String name;
  private SharedIndexInformer<T> informer;

  WatchedObject(KubernetesClient client, Class<T> type, String namespace, String name) {
    this.client = client;
    this.type = type;
    this.namespace = namespace;
    this.name = name;
  }

  /**
   * Starts watching; {@code onChange} runs once the first list is done, and after the object is
   * added, changed or deleted.
   */
  void start(Runnable onChange) {
    informer = client.resources(type).inNamespace(namespace).withName(name).runnableInformer(0);
    informer.exceptionHandler(
        (started, error) -> {
          // A 403 (Role not yet bound) or a lost connection: say so, and keep retrying.
          LOG.warn("watching {} failed, retrying: {}", this, error.getMessage());
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T object) {
            onChange.run();
          }

          @Override
          public void onUpdate(T before, T after) {
            onChange.run();
          }

          @Override
          public void onDelete(T object, boolean finalStateUnknown) {
            onChange.run();
          }
        });
    // The first list sends no event when the object does not exist: say it is done anyway.
    informer.start().thenRun(onChange);
  }

  boolean hasSynced() {
    return informer != null && informer.hasSynced();
  }

  /** The object as last seen, if it exists. */
  Optional<T> current() {
    if (informer == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.stop();
    }
  }

  @Override
  public String toString() {
    return type.getSimpleName() + " " + namespace + "/" + name;
  }
}
