package dev.vigil.reconcilers.status;

import dev.vigil.api.v1alpha1.common.VigilStatus;
import dev.vigil.reconcilers.validation.Problem;
import dev.vigil.reconcilers.validation.Validator;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The first stage every Vigil reconciler shares: observe the spec, check what the schema cannot
 * check, and report it in status and Events. A spec problem is permanent until the user edits the
 * object, so it is reported and never retried.
 */
public abstract class ValidatingReconciler<R extends CustomResource<?, S>, S extends VigilStatus>
    implements Reconciler<R> {
  public static final String REASON_VALID = "Validated";
  public static final String REASON_INVALID = "InvalidSpec";
  public static final String REASON_PENDING = "Pending";
  public static final String REASON_ERROR = "ReconcileError";

  protected final Clock clock;
  private final Validator<R> validator;
  private final EventRecorder events;
  private final Supplier<R> emptyResource;
  private final Supplier<S> emptyStatus;

  protected ValidatingReconciler(
      Clock clock, Validator<R> validator, Supplier<R> emptyResource, Supplier<S> emptyStatus) {
    this.clock = clock;
    this.validator = validator;
    this.events = new EventRecorder(clock);
    this.emptyResource = emptyResource;
    this.emptyStatus = emptyStatus;
  }

  /**
   * Brings the world in line with a valid object (dependents) and fills the rest of its status;
   * runs only when the validator found nothing. Kinds add their own conditions to {@code
   * conditions}. By default Ready is Unknown with {@link #pendingMessage}.
   */
  protected Readiness act(R resource, Context<R> context, S status, Conditions conditions) {
    return Readiness.unknown(REASON_PENDING, pendingMessage(resource));
  }

  /**
   * Sets the kind's own conditions for an object the validator refused with {@code message} (Ready
   * is already False); by default none.
   */
  protected void invalid(Conditions conditions, String message) {}

  /** What Ready says of a valid object whose kind Vigil does not act on yet. */
  protected String pendingMessage(R resource) {
    return "The spec is valid; this Vigil build does not act on " + resource.getKind() + " yet.";
  }

  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    List<String> problems = Problem.messages(validator.validate(resource));
    S status = emptyStatus.get();
    status.observedGeneration = resource.getMetadata().getGeneration();
    Conditions conditions = conditions(resource);
    conditions.set(Conditions.RECONCILED, Conditions.TRUE, REASON_VALID, "Reconciled.");
    if (problems.isEmpty()) {
      Readiness ready = act(resource, context, status, conditions);
      conditions.set(Conditions.READY, ready.status(), ready.reason(), ready.message());
    } else {
      String message = String.join("; ", problems);
      conditions.set(Conditions.READY, Conditions.FALSE, REASON_INVALID, message);
      invalid(conditions, message);
      warnOnce(resource, context, REASON_INVALID, message);
    }
    status.conditions = conditions.build();
    return StatusChange.of(resource, status, emptyResource);
  }

  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(
      R resource, Context<R> context, Exception e) {
    S status = emptyStatus.get();
    status.observedGeneration =
        resource.getStatus() == null ? null : resource.getStatus().observedGeneration;
    status.conditions =
        conditions(resource)
            .set(Conditions.RECONCILED, Conditions.FALSE, REASON_ERROR, describe(e))
            .set(
                Conditions.READY,
                resource.getStatus() == null
                    ? Conditions.UNKNOWN
                    : resource
                        .getStatus()
                        .condition(Conditions.READY)
                        .map(io.fabric8.kubernetes.api.model.Condition::getStatus)
                        .orElse(Conditions.UNKNOWN),
                REASON_ERROR,
                describe(e))
            .build();
    return ErrorStatusUpdateControl.patchStatus(
        StatusChange.statusPatch(resource, status, emptyResource));
  }

  protected Conditions conditions(R resource) {
    return new Conditions(
        resource.getStatus() == null ? List.of() : resource.getStatus().conditions,
        resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration(),
        clock);
  }

  /**
   * A Warning Event, unless the object's Ready condition already says {@code message} for this
   * generation: one Event per distinct problem, not one per resync.
   */
  protected void warnOnce(R resource, Context<R> context, String reason, String message) {
    warnOnce(resource, context, Conditions.READY, reason, message);
  }

  /** A Normal Event: something Vigil did on its own that the owner should know of. */
  protected void tell(R resource, Context<R> context, String reason, String message) {
    events.normal(context.getClient(), resource, reason, message);
  }

  /** As the method above, for the condition {@code type} instead of Ready. */
  protected void warnOnce(
      R resource, Context<R> context, String type, String reason, String message) {
    if (!alreadyReported(resource, type, message)) {
      events.warning(context.getClient(), resource, reason, message);
    }
  }

  /** An Event per distinct problem and generation, not one per resync. */
  private static boolean alreadyReported(
      CustomResource<?, ? extends VigilStatus> r, String type, String msg) {
    return r.getStatus() != null
        && r.getStatus()
            .condition(type)
            .filter(c -> msg.equals(c.getMessage()))
            .filter(c -> r.getMetadata().getGeneration().equals(c.getObservedGeneration()))
            .isPresent();
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "Reconcile failed, will retry: " + message;
  }
}
