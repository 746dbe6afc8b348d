package dev.vigil.reconcilers.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises Kubernetes Events (events.k8s.io/v1) on user objects, so {@code kubectl describe} and
 * {@code kubectl events} show what Vigil thinks of them. Failing to record is logged, never fatal.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String CONTROLLER = "vigil.dev/operator";

  /** metav1.MicroTime's wire format: always six fractional digits. */
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final AtomicLong lastNanos = new AtomicLong();

  public EventRecorder(Clock clock) {
    this.clock = clock;
  }

  public void warning(KubernetesClient client, HasMetadata about, String reason, String note) {
    record(client, about, "Warning", reason, note);
  }

  public void normal(KubernetesClient client, HasMetadata about, String reason, String note) {
    record(client, about, "Normal", reason, note);
  }

  private void record(
      KubernetesClient client, HasMetadata about, String type, String reason, String note) {
    String namespace = about.getMetadata().getNamespace();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            // Named as client-go's recorder names events: <object>.<time in hex>.
            .withName(about.getMetadata().getName() + "." + Long.toHexString(nanos()))
            .withNamespace(namespace)
            .endMetadata()
            .withType(type)
            .withReason(reason)
            .withAction(reason)
            .withNote(truncate(note))
            .withReportingController(CONTROLLER)
            .withReportingInstance(CONTROLLER)
            .withEventTime(new MicroTime(MICRO_TIME.format(Instant.now(clock))))
            .withRegarding(
                new ObjectReferenceBuilder()
                    .withApiVersion(about.getApiVersion())
                    .withKind(about.getKind())
                    .withName(about.getMetadata().getName())
                    .withNamespace(namespace)
                    .withUid(about.getMetadata().getUid())
                    .withResourceVersion(about.getMetadata().getResourceVersion())
                    .build())
            .build();
    try {
      client.resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record {} event {} on {}/{}: {}",
          type.toLowerCase(Locale.ROOT),
          reason,
          namespace,
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Time in nanoseconds, made unique in this process so two events never share a name. */
  private long nanos() {
    Instant now = Instant.now(clock);
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return lastNanos.accumulateAndGet(nanos, (last, next) -> Math.max(last + 1, next));
  }

  /**
   * The API server rejects notes over 1,024 bytes of UTF-8 (Go's len, not characters: a note with
   * "ü" in it was refused at 1,024 characters): cut at a character boundary, with "..." added.
   */
  static String truncate(String note) {
    if (note.getBytes(StandardCharsets.UTF_8).length <= NOTE_BYTES) {
      return note;
    }
    StringBuilder cut = new StringBuilder();
    int bytes = 3; // the "..."
    for (int i = 0; i < note.length(); ) {
      int codePoint = note.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > NOTE_BYTES) {
        break;
      }
      cut.appendCodePoint(codePoint);
      bytes += size;
      i += Character.charCount(codePoint);
    }
    return cut + "...";
  }

  static final int NOTE_BYTES = 1024;
}
