package dev.sluice.durable;

import dev.sluice.ConfigException;
import dev.sluice.Policy;
import dev.sluice.Sluice;
import dev.sluice.internal.ConfigText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * How a {@link Worker} claims and runs executions. Build with {@link #builder()}; validated once.
 *
 * <p><b>Tags rule.</b> A worker takes an execution only if it has <em>every</em> tag the execution
 * was dispatched with; an execution dispatched without tags goes to any worker serving its queue. A
 * worker with tags {@code [gpu, eu]} takes executions tagged {@code []}, {@code [gpu]}, {@code
 * [eu]} and {@code [gpu, eu]}, but not {@code [gpu, us]}.
 *
 * @param workerId the worker's name in leases and logs
 * @param queues the queues it serves, in no particular order
 * @param tags the tags it has
 * @param concurrency the most handlers it runs at once
 * @param lease how long a claim holds an execution without a heartbeat; heartbeats come every half
 *     lease
 * @param pollInterval the shortest wait between claims when idle
 * @param maxPollInterval the longest wait between claims when idle (the wait doubles while idle)
 * @param shutdownGrace how long {@link Worker#close()} lets running handlers finish before handing
 *     their executions back
 * @param policy what every handler run passes through: a throttle, a breaker, or several composed
 *     with {@link Sluice#with}; {@code Sluice.with()} for nothing
 * @param retention how long ended executions (COMPLETED, CANCELLED, EXPIRED) are kept before the
 *     worker purges them, in batches, every {@link #PURGE_INTERVAL}; {@code null} keeps them
 * @param listeners what hears of claims and runs, in the order they are told
 */
public record WorkerConfig(
    String workerId,
    List<String> queues,
    Set<String> tags,
    int concurrency,
    Duration lease,
    Duration pollInterval,
    Duration maxPollInterval,
    Duration shutdownGrace,
    Policy policy,
    Duration retention,
    List<WorkerListener> listeners) {

  /** How often a worker with a retention purges ended executions. */
  public static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

  /** Executions deleted per purge transaction. */
  public static final int PURGE_BATCH_SIZE = 500;

  /**
   * Validates the configuration; see {@link Builder} for the rules.
   *
   * @throws ConfigException if a value breaks its rule
   */
  public WorkerConfig {
    Objects.requireNonNull(workerId, "worker.id");
    queues = List.copyOf(new LinkedHashSet<>(queues));
    tags = Set.copyOf(tags);
    Objects.requireNonNull(lease, "worker.lease");
    Objects.requireNonNull(pollInterval, "worker.poll-interval");
    Objects.requireNonNull(maxPollInterval, "worker.max-poll-interval");
    Objects.requireNonNull(shutdownGrace, "worker.shutdown-grace");
    Objects.requireNonNull(policy, "worker.policy");
    listeners = List.copyOf(Objects.requireNonNull(listeners, "worker.listeners"));
    if (workerId.isBlank()) {
      throw new ConfigException("worker.id must not be blank, was \"" + workerId + "\"");
    }
    if (queues.isEmpty()) {
      throw new ConfigException("worker.queues must name at least one queue, was []");
    }
    for (String queue : queues) {
      if (queue.isBlank()) {
        throw new ConfigException("worker.queues must not be blank, was \"" + queue + "\"");
      }
    }
    if (concurrency < 1) {
      throw new ConfigException("worker.concurrency must be >= 1, was " + concurrency);
    }
    if (lease.toMillis() < 2) {
      throw new ConfigException("worker.lease must be >= 2ms, was " + lease);
    }
    if (pollInterval.toMillis() < 1) {
      throw new ConfigException("worker.poll-interval must be >= 1ms, was " + pollInterval);
    }
    if (maxPollInterval.compareTo(pollInterval) < 0) {
      throw new ConfigException(
          "worker.max-poll-interval must be >= poll-interval ("
              + pollInterval
              + "), was "
              + maxPollInterval);
    }
    if (shutdownGrace.isNegative()) {
      throw new ConfigException("worker.shutdown-grace must be >= 0, was " + shutdownGrace);
    }
  }

  /**
   * The interval between heartbeats: half the lease.
   *
   * @return the heartbeat interval
   */
  public Duration heartbeatInterval() {
    return lease.dividedBy(2);
  }

  /**
   * Starts a builder with the defaults: a random id, queue {@value DispatchOptions#DEFAULT_QUEUE},
   * no tags, concurrency 16, lease 30s, polling between 50ms and 2s, shutdown grace 30s, no
   * listeners.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link WorkerConfig}. */
  public static final class Builder {
    private String workerId = "worker-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> queues = new ArrayList<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private int concurrency = 16;
    private Duration lease = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofMillis(50);
    private Duration maxPollInterval = Duration.ofSeconds(2);
    private Duration shutdownGrace = Duration.ofSeconds(30);
    private Duration retention;
    private Policy policy = Sluice.with();
    private final List<WorkerListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Names the worker.
     *
     * @param workerId a non-blank name, unique among running workers
     * @return this builder
     * @throws ConfigException at {@link #build()} if blank
     */
    public Builder workerId(String workerId) {
      this.workerId = Objects.requireNonNull(workerId, "worker.id");
      return this;
    }

    /**
     * Adds queues to serve; without any, the worker serves {@value DispatchOptions#DEFAULT_QUEUE}.
     *
     * @param queues non-blank queue names
     * @return this builder
     * @throws ConfigException at {@link #build()} if a name is blank
     */
    public Builder queues(String... queues) {
      for (String queue : queues) {
        this.queues.add(Objects.requireNonNull(queue, "worker.queues"));
      }
      return this;
    }

    /**
     * Adds tags the worker has; see the tags rule on {@link WorkerConfig}.
     *
     * @param tags tags
     * @return this builder
     */
    public Builder tags(String... tags) {
      for (String tag : tags) {
        this.tags.add(Objects.requireNonNull(tag, "worker.tags"));
      }
      return this;
    }

    /**
     * Sets how many handlers may run at once, each on its own virtual thread.
     *
     * @param concurrency at least 1
     * @return this builder
     * @throws ConfigException at {@link #build()} if below 1
     */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Sets the lease length.
     *
     * @param lease at least 2ms; heartbeats come every half lease
     * @return this builder
     * @throws ConfigException at {@link #build()} if shorter
     */
    public Builder lease(Duration lease) {
      this.lease = Objects.requireNonNull(lease, "worker.lease");
      return this;
    }

    /**
     * Sets the lease length from text such as {@code 30s}, parsed strictly.
     *
     * @param lease the lease as text
     * @return this builder
     * @throws ConfigException if the text is not a valid duration
     */
    public Builder lease(String lease) {
      return lease(ConfigText.duration("worker.lease", lease));
    }

    /**
     * Sets the shortest and longest wait between claims while idle.
     *
     * @param min at least 1ms
     * @param max at least {@code min}
     * @return this builder
     * @throws ConfigException at {@link #build()} if a rule is broken
     */
    public Builder pollInterval(Duration min, Duration max) {
      this.pollInterval = Objects.requireNonNull(min, "worker.poll-interval");
      this.maxPollInterval = Objects.requireNonNull(max, "worker.max-poll-interval");
      return this;
    }

    /**
     * Sets how long shutdown waits for running handlers before handing their executions back.
     *
     * @param grace not negative
     * @return this builder
     * @throws ConfigException at {@link #build()} if negative
     */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = Objects.requireNonNull(grace, "worker.shutdown-grace");
      return this;
    }

    /**
     * Runs every handler call through a policy, for example an adaptive throttle, so the worker's
     * pace follows what the called service can take, or a breaker, or both composed with {@link
     * Sluice#with}. A handler that suspends (a durable sleep, a signal wait, a child not finished
     * yet) is no outcome to any policy: its throttle permit is released without one, so waiting
     * never slows the throttle down.
     *
     * @param policy the policy; none by default
     * @return this builder
     */
    public Builder policy(Policy policy) {
      this.policy = Objects.requireNonNull(policy, "worker.policy");
      return this;
    }

    /**
     * Purges ended executions older than {@code retention}, every {@link #PURGE_INTERVAL}, in
     * batches of {@link #PURGE_BATCH_SIZE}.
     *
     * @param retention how long to keep them, not negative; {@code null} keeps them forever
     * @return this builder
     * @throws ConfigException at {@link #build()} if negative
     */
    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    /**
     * Adds a listener for claim rounds and for the runs the worker starts and how they end, for
     * metrics or logs. Listeners are told in the order they were added; one that throws is logged
     * and skipped.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(WorkerListener listener) {
      listeners.add(Objects.requireNonNull(listener, "worker.listener"));
      return this;
    }

    /**
     * Validates and builds the configuration.
     *
     * @return the configuration
     * @throws ConfigException if a value breaks its rule; the message names it
     */
    public WorkerConfig build() {
      List<String> served = queues.isEmpty() ? List.of(DispatchOptions.DEFAULT_QUEUE) : queues;
      return new WorkerConfig(
          workerId,
          served,
          tags,
          concurrency,
          lease,
          pollInterval,
          maxPollInterval,
          shutdownGrace,
          policy,
          retention,
          listeners);
    }
  }
}
