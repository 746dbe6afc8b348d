package dev.vigil.operator.admission;

import dev.vigil.reconcilers.status.EventRecorder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Says, in a Warning Event, why a pod that asked for instrumentation was admitted without it. The
 * admission warnings go to whoever created the pod, which for a Deployment is the ReplicaSet
 * controller, not a person: the Event is recorded on the pod's controller (its ReplicaSet, Job,
 * StatefulSet...), where {@code kubectl describe} shows it. Once per controller and message (the
 * last {@value #REMEMBERED} remembered), written off the admission's thread so a slow API server
 * never delays a pod.
 */
final class UninstrumentedPods implements AutoCloseable {
  static final String REASON = "NotInstrumented";
  static final int REMEMBERED = 1000;

  private final KubernetesClient client;
  private final EventRecorder events;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "vigil-uninstrumented-pod-events");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<String, Boolean> told =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };

  UninstrumentedPods(KubernetesClient client, Clock clock) {
    this.client = client;
    this.events = new EventRecorder(clock);
  }

  /** Records the warnings about a pod on its controller, if it has one and they are new. */
  void tell(Pod pod, String namespace, List<String> warnings) {
    if (warnings.isEmpty() || pod.getMetadata().getOwnerReferences() == null) {
      return;
    }
    OwnerReference controller =
        pod.getMetadata().getOwnerReferences().stream()
            .filter(o -> Boolean.TRUE.equals(o.getController()))
            .findFirst()
            .orElse(null);
    if (controller == null) {
      return;
    }
    String message = String.join("; ", warnings);
    synchronized (told) {
      if (told.put(controller.getUid() + "\n" + message, Boolean.TRUE) != null) {
        return;
      }
    }
    GenericKubernetesResource about = new GenericKubernetesResource();
    about.setApiVersion(controller.getApiVersion());
    about.setKind(controller.getKind());
    about.setMetadata(
        new ObjectMetaBuilder()
            .withName(controller.getName())
            .withNamespace(namespace)
            .withUid(controller.getUid())
            .build());
    try {
      writer.execute(() -> events.warning(client, about, REASON, message));
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
