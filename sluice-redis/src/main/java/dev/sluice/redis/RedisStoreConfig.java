package dev.sluice.redis;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.Jitter;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link RedisStore} needs: where Redis is, how to talk to it, and what to do when it
 * cannot answer. Immutable; every rule is checked once by {@link Builder#build()}, and an error
 * names the setting, the rule and the value ({@code redis.command-timeout must be > 0, was PT0S}).
 *
 * <pre>{@code
 * RedisStoreConfig config = RedisStoreConfig.builder()
 *     .standalone("redis.internal:6379")
 *     .commandTimeout(Duration.ofMillis(200))
 *     .onFailure(FailureMode.FALLBACK)
 *     .fallbackNodes(3)
 *     .build();
 * }</pre>
 *
 * @param topology standalone, Sentinel or Cluster
 * @param endpoints {@code host:port} of the server, the sentinels or the cluster seeds
 * @param sentinelMaster the master name the sentinels monitor (Sentinel only)
 * @param tls whether connections use TLS (peer verified)
 * @param username the ACL user, or {@code null} for the default user
 * @param password the password, or {@code null} for none
 * @param database the database index (standalone and Sentinel)
 * @param commandTimeout how long one script call may take before it counts as a failure
 * @param connectTimeout how long establishing a connection may take
 * @param reconnectDelayMax the longest pause between reconnection attempts
 * @param keyPrefix prepended to every key the store writes
 * @param onFailure what to decide when Redis cannot answer
 * @param fallbackNodes how many nodes share the limits under {@link FailureMode#FALLBACK}
 * @param fallbackMaxKeys the bound of the local fallback store
 * @param failClosedRetryAfter the retry-after of a fail-closed denial when the breaker gives none
 * @param retry how a decision is retried when an error is transient (the script surely did not run:
 *     not connected, loading, read-only replica, re-sharding): the core's schedule, 1 to 10
 *     attempts; by default 3, backing off from 5 ms doubling to 50 ms with full jitter
 * @param breaker the circuit breaker around Redis
 * @param overLimitCacheSize keys remembered as over limit until a known time (0: no cache)
 * @param connectInBackground whether a store may start while Redis is unreachable (deciding by the
 *     failure mode and connecting in the background) instead of failing at creation
 * @param listeners what hears of each call to Redis (its duration, its error, a script reload), in
 *     the order they are told
 */
public record RedisStoreConfig(
    Topology topology,
    List<String> endpoints,
    @Nullable String sentinelMaster,
    boolean tls,
    @Nullable String username,
    @Nullable String password,
    int database,
    Duration commandTimeout,
    Duration connectTimeout,
    Duration reconnectDelayMax,
    String keyPrefix,
    FailureMode onFailure,
    int fallbackNodes,
    long fallbackMaxKeys,
    Duration failClosedRetryAfter,
    RetrySchedule retry,
    CircuitBreakerConfig breaker,
    int overLimitCacheSize,
    boolean connectInBackground,
    List<RedisStoreListener> listeners) {

  private static final Pattern ENDPOINT = Pattern.compile("[^:\\s]+:\\d{1,5}");

  /** The breaker used unless one is set: open after 5 failures in a row, probe after 1 s. */
  public static final CircuitBreakerConfig DEFAULT_BREAKER =
      CircuitBreakerConfig.builder()
          .consecutiveFailures(5)
          .openDelay(Duration.ofSeconds(1))
          .maxOpenDelay(Duration.ofSeconds(5))
          .build();

  /**
   * Checks every rule.
   *
   * @throws RedisConfigException if a value breaks a rule
   */
  public RedisStoreConfig {
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(onFailure, "onFailure");
    Objects.requireNonNull(breaker, "breaker");
    endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
    listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
    if (endpoints.isEmpty()) {
      throw new RedisConfigException("redis.endpoints must name at least one host:port, was []");
    }
    for (String endpoint : endpoints) {
      if (!ENDPOINT.matcher(endpoint).matches() || port(endpoint) < 1 || port(endpoint) > 65535) {
        throw new RedisConfigException(
            "redis.endpoints must be host:port with a port of 1-65535, was \"" + endpoint + "\"");
      }
    }
    if (topology == Topology.SENTINEL && (sentinelMaster == null || sentinelMaster.isBlank())) {
      throw new RedisConfigException(
          "redis.sentinel-master must be set for a sentinel topology, was " + sentinelMaster);
    }
    if (topology == Topology.CLUSTER && database != 0) {
      throw new RedisConfigException(
          "redis.database must be 0 on a cluster topology, was " + database);
    }
    if (database < 0) {
      throw new RedisConfigException("redis.database must be >= 0, was " + database);
    }
    positive("command-timeout", commandTimeout);
    positive("connect-timeout", connectTimeout);
    positive("reconnect-delay-max", reconnectDelayMax);
    positive("fail-closed-retry-after", failClosedRetryAfter);
    if (keyPrefix == null || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
      throw new RedisConfigException(
          "redis.key-prefix must be set and hold no '{' or '}', was " + keyPrefix);
    }
    if (fallbackNodes < 1) {
      throw new RedisConfigException("redis.fallback-nodes must be >= 1, was " + fallbackNodes);
    }
    if (fallbackMaxKeys < 1) {
      throw new RedisConfigException(
          "redis.fallback-max-keys must be >= 1, was " + fallbackMaxKeys);
    }
    Objects.requireNonNull(retry, "redis.retry");
    requireAttempts(retry.maxAttempts());
    if (overLimitCacheSize < 0) {
      throw new RedisConfigException(
          "redis.over-limit-cache-size must be >= 0, was " + overLimitCacheSize);
    }
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new RedisConfigException("redis." + name + " must be > 0, was " + value);
    }
  }

  /**
   * This configuration with one more listener, for a component that observes a store it did not
   * configure (a gateway binding its metrics).
   *
   * @param listener the listener, told after those already set
   * @return a copy with the listener added
   */
  public RedisStoreConfig withListener(RedisStoreListener listener) {
    Objects.requireNonNull(listener, "redis.listener");
    List<RedisStoreListener> more = new ArrayList<>(listeners);
    more.add(listener);
    return new RedisStoreConfig(
        topology,
        endpoints,
        sentinelMaster,
        tls,
        username,
        password,
        database,
        commandTimeout,
        connectTimeout,
        reconnectDelayMax,
        keyPrefix,
        onFailure,
        fallbackNodes,
        fallbackMaxKeys,
        failClosedRetryAfter,
        retry,
        breaker,
        overLimitCacheSize,
        connectInBackground,
        List.copyOf(more));
  }

  /** The one rule on attempts, for a schedule given whole or built from the builder's parts. */
  private static void requireAttempts(int attempts) {
    if (attempts < 1 || attempts > 10) {
      throw new RedisConfigException("redis.max-attempts must be 1-10, was " + attempts);
    }
  }

  /** The schedule of {@link Builder#maxAttempts} and {@link Builder#retryBackoff}. */
  private static RetrySchedule schedule(int attempts, Duration initial, Duration max) {
    requireAttempts(attempts);
    positive("retry-backoff", initial);
    positive("retry-backoff-max", max);
    if (max.compareTo(initial) < 0) {
      throw new RedisConfigException(
          "redis.retry-backoff-max must be >= redis.retry-backoff (" + initial + "), was " + max);
    }
    return new RetrySchedule(
        attempts,
        null,
        Backoff.exponential(initial, 2, max).withJitter(Jitter.FULL),
        max,
        RetrySchedule.OverMaxDelay.CAP);
  }

  /**
   * Starts a configuration; set the topology with {@link Builder#standalone}, {@link
   * Builder#sentinel} or {@link Builder#cluster}.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  String host(int index) {
    String endpoint = endpoints.get(index);
    return endpoint.substring(0, endpoint.lastIndexOf(':'));
  }

  int port(int index) {
    return port(endpoints.get(index));
  }

  @Override
  public String toString() {
    return "RedisStoreConfig["
        + topology
        + " "
        + endpoints
        + (sentinelMaster == null ? "" : " master=" + sentinelMaster)
        + (tls ? " tls" : "")
        + (password == null ? "" : " password=***")
        + " db="
        + database
        + " timeout="
        + commandTimeout
        + " onFailure="
        + onFailure
        + "]";
  }

  /** Collects the settings of a {@link RedisStoreConfig}; {@link #build()} validates them. */
  public static final class Builder {
    private Topology topology = Topology.STANDALONE;
    private List<String> endpoints = List.of("localhost:6379");
    private @Nullable String sentinelMaster;
    private boolean tls;
    private @Nullable String username;
    private @Nullable String password;
    private int database;
    private Duration commandTimeout = Duration.ofMillis(250);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration reconnectDelayMax = Duration.ofMillis(500);
    private String keyPrefix = "sluice:rl:";
    private FailureMode onFailure = FailureMode.FALLBACK;
    private int fallbackNodes = 1;
    private long fallbackMaxKeys = 100_000;
    private Duration failClosedRetryAfter = Duration.ofSeconds(1);
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(5);
    private Duration retryBackoffMax = Duration.ofMillis(50);
    private @Nullable RetrySchedule retry;
    private CircuitBreakerConfig breaker = DEFAULT_BREAKER;
    private int overLimitCacheSize;
    private boolean connectInBackground;
    private final List<RedisStoreListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Talks to one server; {@code localhost:6379} by default.
     *
     * @param endpoint {@code host:port}
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if the endpoint is malformed
     */
    public Builder standalone(String endpoint) {
      this.topology = Topology.STANDALONE;
      this.endpoints = List.of(endpoint);
      return this;
    }

    /**
     * Finds the master {@code master} through sentinels.
     *
     * @param master the name the sentinels monitor
     * @param sentinels {@code host:port} of one or more sentinels
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if a value is malformed
     */
    public Builder sentinel(String master, List<String> sentinels) {
      this.topology = Topology.SENTINEL;
      this.sentinelMaster = master;
      this.endpoints = sentinels;
      return this;
    }

    /**
     * Talks to a Redis Cluster discovered from seed nodes.
     *
     * @param seeds {@code host:port} of one or more nodes
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if a seed is malformed
     */
    public Builder cluster(List<String> seeds) {
      this.topology = Topology.CLUSTER;
      this.endpoints = seeds;
      return this;
    }

    /**
     * Uses TLS, verifying the server's certificate.
     *
     * @return this builder
     */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /**
     * Authenticates with a password (Redis {@code requirepass}, default user).
     *
     * @param password the password
     * @return this builder
     */
    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /**
     * Authenticates as an ACL user.
     *
     * @param username the user
     * @param password its password
     * @return this builder
     */
    public Builder credentials(String username, String password) {
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * Selects a database; 0 by default.
     *
     * @param database the index, at least 0; 0 on a cluster
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if out of range
     */
    public Builder database(int database) {
      this.database = database;
      return this;
    }

    /**
     * Sets how long one script call may take; 250 ms by default. A call that takes longer counts as
     * a failure and is not retried (it may have run).
     *
     * @param timeout more than zero
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if not positive
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * Sets how long connecting may take; 1 s by default.
     *
     * @param timeout more than zero
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Sets the longest pause between reconnection attempts; 500 ms by default. Bounds the time to
     * notice that Redis is back.
     *
     * @param delay more than zero
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if not positive
     */
    public Builder reconnectDelayMax(Duration delay) {
      this.reconnectDelayMax = delay;
      return this;
    }

    /**
     * Sets the prefix of every key; {@code sluice:rl:} by default.
     *
     * @param prefix without <code>{</code> or <code>}</code>
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if it holds a brace
     */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * Sets what to decide when Redis cannot answer; {@link FailureMode#FALLBACK} by default.
     *
     * @param mode the failure mode
     * @return this builder
     */
    public Builder onFailure(FailureMode mode) {
      this.onFailure = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets how many nodes share the limits while falling back; 1 by default. Each node then
     * enforces {@code quota / nodes} (at least 1) on its own.
     *
     * @param nodes at least 1
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if below 1
     */
    public Builder fallbackNodes(int nodes) {
      this.fallbackNodes = nodes;
      return this;
    }

    /**
     * Bounds the keys of the local fallback store; 100,000 by default.
     *
     * @param maxKeys at least 1
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if below 1
     */
    public Builder fallbackMaxKeys(long maxKeys) {
      this.fallbackMaxKeys = maxKeys;
      return this;
    }

    /**
     * Sets the retry-after of a fail-closed denial when the breaker gives none; 1 s by default.
     *
     * @param retryAfter more than zero
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if not positive
     */
    public Builder failClosedRetryAfter(Duration retryAfter) {
      this.failClosedRetryAfter = retryAfter;
      return this;
    }

    /**
     * Sets the attempts per decision for transient errors (not connected, loading, read-only
     * replica, cluster re-sharding); 3 by default. Timeouts are never retried.
     *
     * @param attempts 1 to 10
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if out of range
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      this.retry = null;
      return this;
    }

    /**
     * Sets the pause between attempts: starts at {@code initial}, doubles, at most {@code max},
     * with full jitter; 5 ms to 50 ms by default.
     *
     * @param initial the first pause
     * @param max the longest pause
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if not positive or max below initial
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.retryBackoff = initial;
      this.retryBackoffMax = max;
      this.retry = null;
      return this;
    }

    /**
     * Sets the whole retry schedule of a decision instead of {@link #maxAttempts} and {@link
     * #retryBackoff}: any backoff and jitter of the core's {@link RetrySchedule}.
     *
     * @param schedule 1 to 10 attempts
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if the attempts are out of range
     */
    public Builder retry(RetrySchedule schedule) {
      this.retry = Objects.requireNonNull(schedule, "redis.retry");
      return this;
    }

    /**
     * Sets the circuit breaker around Redis; {@link #DEFAULT_BREAKER} by default.
     *
     * @param breaker its configuration
     * @return this builder
     */
    public Builder breaker(CircuitBreakerConfig breaker) {
      this.breaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    /**
     * Remembers up to {@code size} keys that Redis refused until a known time, and refuses them
     * locally until then without a round trip; 0 (off) by default.
     *
     * @param size at least 0
     * @return this builder
     * @throws RedisConfigException (from {@link #build()}) if negative
     */
    public Builder overLimitCache(int size) {
      this.overLimitCacheSize = size;
      return this;
    }

    /**
     * Lets the store start while Redis is unreachable: decisions follow the failure mode while a
     * background task keeps connecting (at most {@link #reconnectDelayMax} apart). By default a
     * store whose first connection fails is not created, so that a wrong address or password is
     * seen at once.
     *
     * @return this builder
     */
    public Builder connectInBackground() {
      this.connectInBackground = true;
      return this;
    }

    /**
     * Adds a listener for each call to Redis: how long it took and whether it failed, of what kind,
     * and each reload of the script, for a latency histogram or logs. Listeners are told in the
     * order they were added, on the deciding thread; one that throws is logged once and skipped.
     * Without any, the store reads no clock to time its calls.
     *
     * @param listener the listener, such as {@code sluice-metrics}' {@code RedisStoreMetrics}
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(RedisStoreListener listener) {
      listeners.add(Objects.requireNonNull(listener, "redis.listener"));
      return this;
    }

    /**
     * Validates and builds the configuration.
     *
     * @return the configuration
     * @throws RedisConfigException if a value breaks a rule
     */
    public RedisStoreConfig build() {
      return new RedisStoreConfig(
          topology,
          endpoints,
          sentinelMaster,
          tls,
          username,
          password,
          database,
          commandTimeout,
          connectTimeout,
          reconnectDelayMax,
          keyPrefix,
          onFailure,
          fallbackNodes,
          fallbackMaxKeys,
          failClosedRetryAfter,
          retry != null ? retry : schedule(maxAttempts, retryBackoff, retryBackoffMax),
          breaker,
          overLimitCacheSize,
          connectInBackground,
          listeners);
    }
  }
}
