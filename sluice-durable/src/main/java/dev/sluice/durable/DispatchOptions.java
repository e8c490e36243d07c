package dev.sluice.durable;

import dev.sluice.ConfigException;
import dev.sluice.internal.ConfigText;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How one execution is dispatched: idempotency, timing, routing, priority, expiry and retries.
 * Build with {@link #builder()}; every value is validated once, in {@link Builder#build()}.
 *
 * <pre>{@code
 * DispatchOptions options = DispatchOptions.builder()
 *     .idempotencyKey("order-42")
 *     .delay("30s")
 *     .queue("http")
 *     .tags("eu")
 *     .maxDuration("1h")
 *     .build();
 * }</pre>
 *
 * @param idempotencyKey a key unique per task: a second dispatch with the same key returns the
 *     first execution (finished or not) instead of starting another; {@code null} for none
 * @param delay how long after dispatch the execution becomes claimable
 * @param notBefore an instant before which it is not claimable, or {@code null}; the later of this
 *     and {@code now + delay} applies
 * @param queue the queue it waits in; workers serve named queues
 * @param tags tags a worker must all have to take it; empty means any worker of the queue
 * @param priority among due executions, higher runs first
 * @param maxDuration the time from dispatch after which an unfinished execution becomes {@link
 *     ExecutionState#EXPIRED}, or {@code null} for never
 * @param retry the retry schedule stored with the execution, or {@code null} for the schedule of
 *     the task's own policy (or a single attempt if the task has none); which failures are retried
 *     is always decided by the task's {@link Task#retryPolicy() policy}, see {@link
 *     Builder#retry(RetrySchedule)}
 */
public record DispatchOptions(
    @Nullable String idempotencyKey,
    Duration delay,
    @Nullable Instant notBefore,
    String queue,
    Set<String> tags,
    int priority,
    @Nullable Duration maxDuration,
    @Nullable RetrySchedule retry) {

  /** The queue used when none is named. */
  public static final String DEFAULT_QUEUE = "default";

  private static final DispatchOptions DEFAULTS = builder().build();

  /**
   * Validates the options; see {@link Builder} for the rules.
   *
   * @throws ConfigException if a value breaks its rule
   */
  public DispatchOptions {
    Objects.requireNonNull(delay, "dispatch.delay");
    Objects.requireNonNull(queue, "dispatch.queue");
    tags = Set.copyOf(tags);
    if (idempotencyKey != null && idempotencyKey.isEmpty()) {
      throw new ConfigException("dispatch.idempotency-key must not be empty, was \"\"");
    }
    if (delay.isNegative()) {
      throw new ConfigException("dispatch.delay must be >= 0, was " + delay);
    }
    if (queue.isBlank()) {
      throw new ConfigException("dispatch.queue must not be blank, was \"" + queue + "\"");
    }
    for (String tag : tags) {
      if (tag.isBlank()) {
        throw new ConfigException("dispatch.tags must not be blank, was \"" + tag + "\"");
      }
    }
    if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
      throw new ConfigException("dispatch.max-duration must be > 0, was " + maxDuration);
    }
  }

  /**
   * The defaults: no key, due now, queue {@value #DEFAULT_QUEUE}, untagged, priority 0, no expiry.
   *
   * @return the default options
   */
  public static DispatchOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder started from these options, for a variation.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.idempotencyKey = idempotencyKey;
    builder.delay = delay;
    builder.notBefore = notBefore;
    builder.queue = queue;
    builder.tags.addAll(tags);
    builder.priority = priority;
    builder.maxDuration = maxDuration;
    builder.retry = retry;
    return builder;
  }

  /** Builds {@link DispatchOptions}. Not thread-safe; build once, share the result. */
  public static final class Builder {
    private @Nullable String idempotencyKey;
    private Duration delay = Duration.ZERO;
    private @Nullable Instant notBefore;
    private String queue = DEFAULT_QUEUE;
    private final Set<String> tags = new LinkedHashSet<>();
    private int priority;
    private @Nullable Duration maxDuration;
    private @Nullable RetrySchedule retry;

    private Builder() {}

    /**
     * Sets the idempotency key.
     *
     * @param key a non-empty key, unique per task, or {@code null} for none
     * @return this builder
     * @throws ConfigException at {@link #build()} if the key is empty
     */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = key;
      return this;
    }

    /**
     * Delays the execution.
     *
     * @param delay how long after dispatch it becomes claimable, not negative
     * @return this builder
     * @throws ConfigException at {@link #build()} if the delay is negative
     */
    public Builder delay(Duration delay) {
      this.delay = Objects.requireNonNull(delay, "dispatch.delay");
      return this;
    }

    /**
     * Delays the execution by a duration written as text.
     *
     * @param delay a duration such as {@code 30s}, {@code 1h30m} or {@code PT5M}, parsed strictly
     *     by {@link Durations#parse}
     * @return this builder
     * @throws ConfigException if the text is not a valid duration
     */
    public Builder delay(String delay) {
      return delay(ConfigText.duration("dispatch.delay", delay));
    }

    /**
     * Makes the execution claimable no earlier than an instant.
     *
     * @param notBefore the instant, or {@code null} for none
     * @return this builder
     */
    public Builder notBefore(Instant notBefore) {
      this.notBefore = notBefore;
      return this;
    }

    /**
     * Names the queue.
     *
     * @param queue a non-blank queue name
     * @return this builder
     * @throws ConfigException at {@link #build()} if the name is blank
     */
    public Builder queue(String queue) {
      this.queue = Objects.requireNonNull(queue, "dispatch.queue");
      return this;
    }

    /**
     * Adds tags a worker must have to take the execution.
     *
     * @param tags non-blank tags
     * @return this builder
     * @throws ConfigException at {@link #build()} if a tag is blank
     */
    public Builder tags(String... tags) {
      for (String tag : tags) {
        this.tags.add(Objects.requireNonNull(tag, "dispatch.tags"));
      }
      return this;
    }

    /**
     * Sets the priority; among due executions, higher runs first.
     *
     * @param priority any integer; 0 by default
     * @return this builder
     */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * Sets the maximum duration, counted from dispatch.
     *
     * @param maxDuration a positive duration, or {@code null} for no expiry
     * @return this builder
     * @throws ConfigException at {@link #build()} if it is zero or negative
     */
    public Builder maxDuration(Duration maxDuration) {
      this.maxDuration = maxDuration;
      return this;
    }

    /**
     * Sets the maximum duration from text.
     *
     * @param maxDuration a duration such as {@code 1h}, parsed strictly by {@link Durations#parse}
     * @return this builder
     * @throws ConfigException if the text is not a valid positive duration
     */
    public Builder maxDuration(String maxDuration) {
      return maxDuration(ConfigText.duration("dispatch.max-duration", maxDuration));
    }

    /**
     * Sets the retry schedule for this execution (max attempts, backoff, max delay, time budget).
     * It is stored with the execution as JSON, so whichever worker sees a failure computes the same
     * next due time; a failed attempt goes back to pending, not claimable before that time.
     *
     * <p>Only a schedule is taken here, because only a schedule can be stored: predicates and
     * listeners are code, which a row in a database cannot hold and another process cannot rebuild.
     * Which failures are retried ({@code retryOn}, {@code retryIf}, {@code abortOn}, {@code
     * abortIf}), a server's {@code Retry-After} and the retry listeners come from the task's own
     * {@link Task#retryPolicy() policy} in the worker that runs the attempt; without one, every
     * {@link Exception} is retried while attempts remain. To reuse a policy's numbers, pass {@link
     * dev.sluice.retry.RetryPolicy#schedule() policy.schedule()}.
     *
     * @param retry the schedule, or {@code null} for the task's own
     * @return this builder
     */
    public Builder retry(RetrySchedule retry) {
      this.retry = retry;
      return this;
    }

    /**
     * Validates and builds the options.
     *
     * @return the options
     * @throws ConfigException if a value breaks its rule; the message names it
     */
    public DispatchOptions build() {
      return new DispatchOptions(
          idempotencyKey, delay, notBefore, queue, tags, priority, maxDuration, retry);
    }
  }
}
