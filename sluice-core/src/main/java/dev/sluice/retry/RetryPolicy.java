package dev.sluice.retry;

import dev.sluice.ConfigException;
import dev.sluice.Policy;
import dev.sluice.event.PolicyListener;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * When to try a failed operation again, and after how long. Immutable and safe to share.
 *
 * <p>The heart of a policy is the pure function {@link #decide}: given how many attempts were made,
 * how long it has been, and the last outcome, it returns a {@link RetryDecision} without waiting or
 * running anything. The durable engine uses it to reschedule a stored task; the throttle uses it to
 * pace; {@link #call} and {@link #callAsync} use it to run a call with retries, alone or composed
 * with other policies through {@link dev.sluice.Sluice#with}.
 *
 * <p>The delay before the next attempt is {@code max(retryAfter, backoff)}, capped by the
 * schedule's max delay; when a server's Retry-After exceeds that cap, the schedule decides whether
 * to wait the cap or give up ({@link RetrySchedule.OverMaxDelay}).
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .maxAttempts(5)
 *     .backoff(Backoff.exponential(Duration.ofMillis(200), 2, Duration.ofSeconds(30))
 *         .withJitter(Jitter.FULL))
 *     .retryOn(IOException.class)
 *     .retryIfResult(Integer.class, status -> status == 503)
 *     .build();
 * String body = Sluice.with(policy).get(() -> client.get(url));
 * }</pre>
 */
public final class RetryPolicy implements Policy {
  private final RetrySchedule schedule;
  private final RetryRules rules;
  private final List<PolicyListener> listeners;
  private final RandomGenerator random;
  private final TimeSource time;

  private RetryPolicy(Builder b) {
    this.schedule =
        new RetrySchedule(b.maxAttempts, b.maxElapsed, b.backoff, b.maxDelay, b.overMaxDelay);
    this.rules =
        new RetryRules(
            schedule,
            List.copyOf(b.retryOn),
            List.copyOf(b.retryIfResult),
            List.copyOf(b.abortOn),
            List.copyOf(b.abortIfResult),
            b.retryAfter,
            b.random);
    this.listeners = List.copyOf(b.listeners);
    this.random = b.random;
    this.time = b.time;
  }

  /**
   * Starts a builder with the defaults of {@link RetrySchedule#DEFAULT}, retrying on any {@link
   * Exception}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A policy with the given schedule that retries on any {@link Exception}.
   *
   * @param schedule the stored schedule
   * @return the policy
   */
  public static RetryPolicy of(RetrySchedule schedule) {
    return builder().schedule(schedule).build();
  }

  /**
   * Starts a builder with everything this policy has, to derive a variant.
   *
   * @return a builder holding this policy's settings
   */
  public Builder toBuilder() {
    Builder b = builder().schedule(schedule).random(random).timeSource(time);
    b.retryOn.addAll(rules.retryOn());
    b.retryIfResult.addAll(rules.retryIfResult());
    b.abortOn.addAll(rules.abortOn());
    b.abortIfResult.addAll(rules.abortIfResult());
    b.retryAfter = rules.retryAfter();
    b.listeners.addAll(listeners);
    return b;
  }

  /**
   * The storable part of this policy.
   *
   * @return the schedule
   */
  public RetrySchedule schedule() {
    return schedule;
  }

  /**
   * Decides what to do after an attempt, without waiting; see {@link #decide(int, Duration,
   * Throwable, Object, Duration, Duration)}, with the previous delay unknown.
   *
   * @param attemptsSoFar attempts made so far, the one that produced this outcome included
   * @param elapsed time since the first attempt started
   * @param failureOrNull the attempt's failure, or {@code null} if it returned a result
   * @param resultOrNull the attempt's result (ignored when there is a failure)
   * @param retryAfterOrNull how long the server asked to wait, or {@code null}
   * @return the decision
   * @throws ConfigException if {@code attemptsSoFar < 1}
   */
  public RetryDecision decide(
      int attemptsSoFar,
      Duration elapsed,
      @Nullable Throwable failureOrNull,
      @Nullable Object resultOrNull,
      @Nullable Duration retryAfterOrNull) {
    return decide(attemptsSoFar, elapsed, failureOrNull, resultOrNull, retryAfterOrNull, null);
  }

  /**
   * Decides what to do after an attempt, without waiting. The outcome is first classified: an abort
   * condition gives up with {@link RetryDecision.Reason#ABORTED}; a failure or result the policy
   * does not retry is {@link RetryDecision.Done} (a result) or gives up with {@link
   * RetryDecision.Reason#NOT_RETRYABLE} (a failure). A retryable outcome is retried unless the
   * attempts are used up, the delay would end past the time budget, or the server's Retry-After is
   * longer than the max delay and the schedule says to give up then.
   *
   * @param attemptsSoFar attempts made so far, the one that produced this outcome included
   * @param elapsed time since the first attempt started
   * @param failureOrNull the attempt's failure, or {@code null} if it returned a result
   * @param resultOrNull the attempt's result (ignored when there is a failure)
   * @param retryAfterOrNull how long the server asked to wait, or {@code null}; if absent, the
   *     policy's Retry-After function is asked
   * @param previousDelayOrNull the delay used before this attempt, for decorrelated jitter
   * @return the decision
   * @throws ConfigException if {@code attemptsSoFar < 1}
   */
  public RetryDecision decide(
      int attemptsSoFar,
      Duration elapsed,
      @Nullable Throwable failureOrNull,
      @Nullable Object resultOrNull,
      @Nullable Duration retryAfterOrNull,
      @Nullable Duration previousDelayOrNull) {
    BackoffMath.requireAttempt(attemptsSoFar);
    Objects.requireNonNull(elapsed, "elapsed");
    return rules.decide(
        attemptsSoFar, elapsed, failureOrNull, resultOrNull, retryAfterOrNull, previousDelayOrNull);
  }

  /**
   * Runs {@code work} until it succeeds or the policy gives up, waiting between attempts through
   * the time source (the thread parks; fine on virtual threads). An {@link
   * dev.sluice.ExecutionSuspended} is not an attempt: it passes through at once.
   *
   * @param work the call to make
   * @param <T> the result type
   * @return the first successful result, or the last result when retries on results ran out
   * @throws Exception the last failure, unchanged, when the policy gave up; the {@link
   *     InterruptedException} when interrupted while waiting between attempts
   */
  @Override
  public <T extends @Nullable Object> T call(Callable<T> work) throws Exception {
    return new BlockingRetry(this).run(Objects.requireNonNull(work, "work"));
  }

  /**
   * Runs {@code work} with retries without blocking, waiting between attempts with the time
   * source's {@link TimeSource#delay}. The next attempt starts on the thread that completes the
   * delay, so {@code work} should only start the call, not block. Cancelling the returned future
   * stops further attempts.
   *
   * @param work starts one attempt
   * @param <T> the result type
   * @return a future of the first successful result, or of the last failure
   */
  @Override
  public <T extends @Nullable Object> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> work) {
    return new AsyncRetry<T>(this, Objects.requireNonNull(work, "work"), null).start();
  }

  /**
   * Like {@link #callAsync(Supplier)}, but schedules each retry on {@code scheduler} (real time).
   *
   * @param work starts one attempt
   * @param scheduler runs the next attempt after its delay
   * @param <T> the result type
   * @return a future of the first successful result, or of the last failure
   */
  public <T extends @Nullable Object> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> work, ScheduledExecutorService scheduler) {
    return new AsyncRetry<T>(
            this,
            Objects.requireNonNull(work, "work"),
            Objects.requireNonNull(scheduler, "scheduler"))
        .start();
  }

  TimeSource time() {
    return time;
  }

  List<PolicyListener> listeners() {
    return listeners;
  }

  @Override
  public String toString() {
    return "RetryPolicy" + schedule;
  }

  /**
   * Builds a {@link RetryPolicy}. Setters only collect values; {@link #build()} checks the
   * schedule's rules, once, in {@link RetrySchedule}'s constructor. Not thread-safe.
   */
  public static final class Builder {
    private int maxAttempts = RetrySchedule.DEFAULT.maxAttempts();
    private @Nullable Duration maxElapsed = RetrySchedule.DEFAULT.maxElapsed();
    private Backoff backoff = RetrySchedule.DEFAULT.backoff();
    private Duration maxDelay = RetrySchedule.DEFAULT.maxDelay();
    private RetrySchedule.OverMaxDelay overMaxDelay = RetrySchedule.DEFAULT.overMaxDelay();
    private final List<Predicate<Throwable>> retryOn = new ArrayList<>();
    private final List<Predicate<@Nullable Object>> retryIfResult = new ArrayList<>();
    private final List<Predicate<Throwable>> abortOn = new ArrayList<>();
    private final List<Predicate<@Nullable Object>> abortIfResult = new ArrayList<>();
    private BiFunction<@Nullable Throwable, @Nullable Object, Optional<Duration>> retryAfter =
        (failure, result) -> Optional.empty();
    private final List<PolicyListener> listeners = new ArrayList<>();
    private RandomGenerator random = ThreadLocalRandomGenerator.INSTANCE;
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * Takes every value of a stored schedule.
     *
     * @param schedule the schedule
     * @return this builder
     */
    public Builder schedule(RetrySchedule schedule) {
      Objects.requireNonNull(schedule, "retry.schedule");
      this.maxAttempts = schedule.maxAttempts();
      this.maxElapsed = schedule.maxElapsed();
      this.backoff = schedule.backoff();
      this.maxDelay = schedule.maxDelay();
      this.overMaxDelay = schedule.overMaxDelay();
      return this;
    }

    /**
     * Total attempts allowed, the first one included.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The time budget: no retry is scheduled whose delay would end after it.
     *
     * @param maxElapsed positive, or {@code null} for no budget
     * @return this builder
     */
    public Builder maxElapsed(@Nullable Duration maxElapsed) {
      this.maxElapsed = maxElapsed;
      return this;
    }

    /**
     * The delays between attempts.
     *
     * @param backoff the backoff
     * @return this builder
     * @throws NullPointerException if {@code backoff} is null
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "retry.backoff");
      return this;
    }

    /**
     * The largest delay ever waited, a server's Retry-After included, and what to do when a server
     * asks for more.
     *
     * @param maxDelay not negative
     * @param overMaxDelay wait {@code maxDelay} ({@link RetrySchedule.OverMaxDelay#CAP}) or give up
     * @return this builder
     */
    public Builder maxDelay(Duration maxDelay, RetrySchedule.OverMaxDelay overMaxDelay) {
      this.maxDelay = Objects.requireNonNull(maxDelay, "retry.max-delay");
      this.overMaxDelay = Objects.requireNonNull(overMaxDelay, "retry.over-max-delay");
      return this;
    }

    /**
     * Retries failures of these types (and their subtypes). Once any failure rule ({@code retryOn}
     * or {@code retryIf}) is set, only matching failures are retried; with none, every {@link
     * Exception} is. Result rules do not change which failures are retried.
     *
     * @param types the failure types
     * @return this builder
     * @throws NullPointerException if a type is null
     */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, "retry.retry-on type");
        retryOn.add(type::isInstance);
      }
      return this;
    }

    /**
     * Retries failures that match {@code predicate}.
     *
     * @param predicate tests a failure
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder retryIf(Predicate<Throwable> predicate) {
      retryOn.add(Objects.requireNonNull(predicate, "retry.retry-if"));
      return this;
    }

    /**
     * Retries results that match {@code predicate}, such as a response with status 503.
     *
     * @param predicate tests a result (which may be null)
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder retryIfResult(Predicate<@Nullable Object> predicate) {
      retryIfResult.add(Objects.requireNonNull(predicate, "retry.retry-if-result"));
      return this;
    }

    /**
     * Retries when the result is a {@code type} that {@code predicate} accepts, the typed form of
     * {@link #retryIfResult(Predicate)}: results of other types never match.
     *
     * @param type the result type the predicate reads
     * @param predicate reads a result of that type
     * @param <R> the result type
     * @return this builder
     */
    public <R> Builder retryIfResult(Class<R> type, Predicate<? super R> predicate) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(predicate, "predicate");
      return retryIfResult(r -> type.isInstance(r) && predicate.test(type.cast(r)));
    }

    /**
     * Gives up at once on failures of these types, even if a retry rule matches.
     *
     * @param types the failure types
     * @return this builder
     * @throws NullPointerException if a type is null
     */
    @SafeVarargs
    public final Builder abortOn(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, "retry.abort-on type");
        abortOn.add(type::isInstance);
      }
      return this;
    }

    /**
     * Gives up at once on failures that match {@code predicate}.
     *
     * @param predicate tests a failure
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder abortIf(Predicate<Throwable> predicate) {
      abortOn.add(Objects.requireNonNull(predicate, "retry.abort-if"));
      return this;
    }

    /**
     * Gives up at once on results that match {@code predicate}.
     *
     * @param predicate tests a result
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder abortIfResult(Predicate<@Nullable Object> predicate) {
      abortIfResult.add(Objects.requireNonNull(predicate, "retry.abort-if-result"));
      return this;
    }

    /**
     * Adds a way to read a server's Retry-After from an outcome, used when the caller of {@link
     * RetryPolicy#decide} does not pass one (and always by {@link RetryPolicy#call}). Functions are
     * asked in the order they were added; the first that answers counts, so a component given a
     * policy (an HTTP client reading its responses' headers) can add its own reading to a copy made
     * with {@link RetryPolicy#toBuilder()} without losing the caller's.
     *
     * @param function given the failure (or null) and the result (or null), the delay asked for
     * @return this builder
     * @throws NullPointerException if {@code function} is null
     */
    public Builder retryAfter(
        BiFunction<@Nullable Throwable, @Nullable Object, Optional<Duration>> function) {
      Objects.requireNonNull(function, "retry.retry-after");
      BiFunction<@Nullable Throwable, @Nullable Object, Optional<Duration>> before = retryAfter;
      this.retryAfter =
          (failure, result) -> {
            Optional<Duration> asked = before.apply(failure, result);
            return asked.isPresent() ? asked : function.apply(failure, result);
          };
      return this;
    }

    /**
     * Adds a listener; it hears a {@link dev.sluice.event.RetryAttempted} after every attempt, with
     * the decision that follows it (retry after a delay, give up, or done).
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(PolicyListener listener) {
      listeners.add(Objects.requireNonNull(listener, "retry.listener"));
      return this;
    }

    /**
     * The randomness for jitter. Pass a seeded generator for reproducible delays; it must be safe
     * for the threads that use the policy. The default draws from {@link
     * java.util.concurrent.ThreadLocalRandom}.
     *
     * @param random the generator
     * @return this builder
     * @throws NullPointerException if {@code random} is null
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "retry.random");
      return this;
    }

    /**
     * The time source for waiting and measuring elapsed time.
     *
     * @param time the time source
     * @return this builder
     * @throws NullPointerException if {@code time} is null
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "retry.time-source");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the immutable policy
     * @throws ConfigException if the combination of values is invalid
     */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
