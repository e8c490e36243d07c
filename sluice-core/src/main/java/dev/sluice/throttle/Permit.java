package dev.sluice.throttle;

import dev.sluice.ExecutionSuspended;
import dev.sluice.breaker.CircuitPermit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The right to make one call through a {@link Throttle}, held from {@link Throttle#acquire()} until
 * {@link #close()}. Use it with try-with-resources and record what happened before it closes:
 *
 * <pre>{@code
 * try (Permit permit = throttle.acquire()) {
 *   HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 *   permit.recordHeaders(response.headers().map());
 *   if (response.statusCode() == 429 || response.statusCode() >= 500) {
 *     permit.recordFailure(new IOException("HTTP " + response.statusCode()));
 *   } else {
 *     permit.recordSuccess();
 *   }
 * }
 * }</pre>
 *
 * <p><b>A permit closed without an outcome</b> counts as neither success nor failure: it frees its
 * concurrency slot, keeps its token estimate as the actual count, releases the circuit breaker's
 * permission without a verdict, and does not count as a completed task. That is the safe reading of
 * "the caller did not say": it never speeds the throttle up on a call that may have failed.
 *
 * <p>The last outcome recorded before {@link #close()} wins; recording after close has no effect. A
 * permit belongs to one caller and is not meant to be shared between threads.
 */
public final class Permit implements AutoCloseable {
  /** What the caller said about the call. */
  enum Outcome {
    NONE,
    SUCCESS,
    FAILURE,
    IGNORED
  }

  private final Throttle owner;
  private final long generation;
  private final TokenWindow.@Nullable Spend spend;
  private final ServerTokenQuota.@Nullable Reservation served;
  private final long startNanos;
  private final long bookedNanos;
  private final @Nullable CircuitPermit circuit;
  private @Nullable Duration retryAfter;
  private static final VarHandle CLOSED;

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(Permit.class, "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // read and written through CLOSED
  private volatile boolean closed;

  private Outcome outcome = Outcome.NONE;
  private @Nullable Throwable failure;
  private long tokens = -1;

  Permit(
      Throttle owner,
      long generation,
      TokenWindow.@Nullable Spend spend,
      ServerTokenQuota.@Nullable Reservation served,
      long startNanos,
      long bookedNanos,
      @Nullable CircuitPermit circuit) {
    this.served = served;
    this.bookedNanos = bookedNanos;
    this.circuit = circuit;
    this.owner = owner;
    this.generation = generation;
    this.spend = spend;
    this.startNanos = startNanos;
  }

  /** Records that the call succeeded. */
  public void recordSuccess() {
    outcome = Outcome.SUCCESS;
    failure = null;
  }

  /**
   * Records that the call failed. Whether the failure slows the throttle down is decided by the
   * configured failure predicate; a failure it rejects is recorded as ignored, and so is an {@link
   * ExecutionSuspended}, which is not an outcome.
   *
   * @param cause what went wrong
   */
  public void recordFailure(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    if (cause instanceof ExecutionSuspended) {
      recordIgnored();
      return;
    }
    outcome = Outcome.FAILURE;
    failure = cause;
  }

  /** Records that the call's outcome says nothing about the server's capacity. */
  public void recordIgnored() {
    outcome = Outcome.IGNORED;
    failure = null;
  }

  /**
   * Records tokens the call spent; calls add up. The total replaces the estimate reserved at
   * acquire time in the token budget.
   *
   * @param count tokens spent, not negative
   * @throws IllegalArgumentException if negative
   */
  public void recordTokens(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("recorded tokens must be >= 0, was " + count);
    }
    tokens = tokens < 0 ? count : tokens + count;
  }

  /**
   * Reports the response's header fields so the throttle can follow the server's signals: {@code
   * Retry-After} pauses new dispatch for every caller until then; {@code RateLimit} with {@code
   * RateLimit-Policy}, the OpenAI, Anthropic and GitHub dialects, or legacy {@code
   * X-RateLimit-Limit/Remaining/Reset}, spread the remaining request quota over the time to its
   * reset; a reported token quota paces the token estimates of later acquisitions. Names are
   * matched ignoring case; malformed values are ignored. Takes effect at once, before {@link
   * #close()}.
   *
   * @param headers the response's header fields, for example {@code response.headers().map()}
   */
  public void recordHeaders(Map<String, List<String>> headers) {
    Duration asked = owner.applyHeaders(headers);
    if (asked != null) {
      retryAfter = asked;
    }
  }

  /** Ends the call: applies the outcome, reconciles tokens and frees the slot. Idempotent. */
  @Override
  public void close() {
    if (CLOSED.compareAndSet(this, false, true)) {
      owner.complete(this);
    }
  }

  Outcome outcome() {
    return outcome;
  }

  @Nullable Throwable failure() {
    return failure;
  }

  @Nullable CircuitPermit circuit() {
    return circuit;
  }

  @Nullable Duration retryAfter() {
    return retryAfter;
  }

  long generation() {
    return generation;
  }

  TokenWindow.@Nullable Spend spend() {
    return spend;
  }

  /** What the call took from the server's token quota, or {@code null}. */
  ServerTokenQuota.@Nullable Reservation served() {
    return served;
  }

  long tokens() {
    return tokens;
  }

  /**
   * When the call's dispatch slot was booked (at the rate in force then), or {@link Long#MIN_VALUE}
   * if the clock was not read.
   */
  long bookedNanos() {
    return bookedNanos;
  }

  /** When the call was dispatched, or {@link Long#MIN_VALUE} if the clock was not read. */
  long dispatchNanos() {
    return startNanos;
  }
}
