package dev.sluice.redis;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link RedisStore} needs: where Redis is and how to talk to it ({@link
 * RedisConnection}), what to do when it cannot answer ({@link RedisFailurePolicy}), and how the
 * store names and caches its keys. Immutable; every rule is checked once, in the records'
 * constructors, and an error names the setting, the rule and the value ({@code
 * redis.command-timeout must be > 0, was PT0S}).
 *
 * <p>The builder sets any part directly, or takes a connection or a failure policy built elsewhere
 * (shared by several stores) and then changes parts of it:
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
 * @param connection topology, endpoints, credentials and timeouts
 * @param failurePolicy retries, the breaker around Redis and what is decided while it is down
 * @param keyPrefix prepended to every key the store writes
 * @param overLimitCacheSize keys remembered as over limit until a known time (0: no cache)
 * @param listeners what hears of each call to Redis (its duration, its error, a script reload), in
 *     the order they are told
 */
public record RedisStoreConfig(
    RedisConnection connection,
    RedisFailurePolicy failurePolicy,
    String keyPrefix,
    int overLimitCacheSize,
    List<RedisStoreListener> listeners) {

  /**
   * Checks every rule of the store's own settings (the connection and the policy check theirs).
   *
   * @throws RedisConfigException if a value breaks a rule
   */
  public RedisStoreConfig {
    Objects.requireNonNull(connection, "redis.connection");
    Objects.requireNonNull(failurePolicy, "redis.failure-policy");
    listeners = List.copyOf(Objects.requireNonNull(listeners, "redis.listeners"));
    if (keyPrefix == null || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
      throw new RedisConfigException(
          "redis.key-prefix must be set and hold no '{' or '}', was " + keyPrefix);
    }
    if (overLimitCacheSize < 0) {
      throw new RedisConfigException(
          "redis.over-limit-cache-size must be >= 0, was " + overLimitCacheSize);
    }
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
    return new RedisStoreConfig(connection, failurePolicy, keyPrefix, overLimitCacheSize, more);
  }

  @Override
  public String toString() {
    return "RedisStoreConfig[" + connection + " onFailure=" + failurePolicy.onFailure() + "]";
  }

  /**
   * Collects the settings of a {@link RedisStoreConfig}; {@link #build()} validates them. Each
   * setter of a connection or failure-policy part changes that part of the connection or policy
   * being built, including one given whole by {@link #connection} or {@link #failurePolicy}.
   */
  public static final class Builder {
    private RedisConnection.Builder connection = RedisConnection.builder();
    private RedisFailurePolicy.Builder failurePolicy = RedisFailurePolicy.builder();
    private String keyPrefix = "sluice:rl:";
    private int overLimitCacheSize;
    private final List<RedisStoreListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Uses connection settings built elsewhere; later connection setters change parts of them.
     *
     * @param settings the connection settings
     * @return this builder
     */
    public Builder connection(RedisConnection settings) {
      this.connection = Objects.requireNonNull(settings, "redis.connection").toBuilder();
      return this;
    }

    /**
     * Uses a failure policy built elsewhere; later policy setters change parts of it.
     *
     * @param policy the failure policy
     * @return this builder
     */
    public Builder failurePolicy(RedisFailurePolicy policy) {
      this.failurePolicy = Objects.requireNonNull(policy, "redis.failure-policy").toBuilder();
      return this;
    }

    /**
     * Talks to one server; {@code localhost:6379} by default.
     *
     * @param endpoint {@code host:port}
     * @return this builder
     * @see RedisConnection.Builder#standalone
     */
    public Builder standalone(String endpoint) {
      connection.standalone(endpoint);
      return this;
    }

    /**
     * Finds the master {@code master} through sentinels.
     *
     * @param master the name the sentinels monitor
     * @param sentinels {@code host:port} of one or more sentinels
     * @return this builder
     */
    public Builder sentinel(String master, List<String> sentinels) {
      connection.sentinel(master, sentinels);
      return this;
    }

    /**
     * Talks to a Redis Cluster discovered from seed nodes.
     *
     * @param seeds {@code host:port} of one or more nodes
     * @return this builder
     */
    public Builder cluster(List<String> seeds) {
      connection.cluster(seeds);
      return this;
    }

    /**
     * Uses TLS, verifying the server's certificate.
     *
     * @return this builder
     */
    public Builder tls() {
      connection.tls();
      return this;
    }

    /**
     * Authenticates with a password (Redis {@code requirepass}, default user).
     *
     * @param password the password, or {@code null} for none
     * @return this builder
     */
    public Builder password(@Nullable String password) {
      connection.password(password);
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
      connection.credentials(username, password);
      return this;
    }

    /**
     * Selects a database; 0 by default, and 0 on a cluster.
     *
     * @param database the index
     * @return this builder
     */
    public Builder database(int database) {
      connection.database(database);
      return this;
    }

    /**
     * Sets how long one script call may take; 250 ms by default.
     *
     * @param timeout more than zero
     * @return this builder
     * @see RedisConnection.Builder#commandTimeout
     */
    public Builder commandTimeout(Duration timeout) {
      connection.commandTimeout(timeout);
      return this;
    }

    /**
     * Sets how long connecting may take; 1 s by default.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      connection.connectTimeout(timeout);
      return this;
    }

    /**
     * Sets the longest pause between reconnection attempts; 500 ms by default.
     *
     * @param delay more than zero
     * @return this builder
     */
    public Builder reconnectDelayMax(Duration delay) {
      connection.reconnectDelayMax(delay);
      return this;
    }

    /**
     * Lets the store start while Redis is unreachable.
     *
     * @return this builder
     * @see RedisConnection.Builder#connectInBackground
     */
    public Builder connectInBackground() {
      connection.connectInBackground();
      return this;
    }

    /**
     * Sets what to decide when Redis cannot answer; {@link FailureMode#FALLBACK} by default.
     *
     * @param mode the failure mode
     * @return this builder
     */
    public Builder onFailure(FailureMode mode) {
      failurePolicy.onFailure(mode);
      return this;
    }

    /**
     * Sets how many nodes share the limits while falling back; 1 by default.
     *
     * @param nodes at least 1
     * @return this builder
     * @see RedisFailurePolicy.Builder#fallbackNodes
     */
    public Builder fallbackNodes(int nodes) {
      failurePolicy.fallbackNodes(nodes);
      return this;
    }

    /**
     * Bounds the keys of the local fallback store; 100,000 by default.
     *
     * @param maxKeys at least 1
     * @return this builder
     */
    public Builder fallbackMaxKeys(long maxKeys) {
      failurePolicy.fallbackMaxKeys(maxKeys);
      return this;
    }

    /**
     * Sets the retry-after of a fail-closed denial when the breaker gives none; 1 s by default.
     *
     * @param retryAfter more than zero
     * @return this builder
     */
    public Builder failClosedRetryAfter(Duration retryAfter) {
      failurePolicy.failClosedRetryAfter(retryAfter);
      return this;
    }

    /**
     * Sets the attempts per decision for transient errors; 3 by default.
     *
     * @param attempts 1 to 10
     * @return this builder
     * @see RedisFailurePolicy.Builder#maxAttempts
     */
    public Builder maxAttempts(int attempts) {
      failurePolicy.maxAttempts(attempts);
      return this;
    }

    /**
     * Sets the pause between attempts; 5 ms doubling to 50 ms, full jitter, by default.
     *
     * @param initial the first pause
     * @param max the longest pause, at least {@code initial}
     * @return this builder
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      failurePolicy.retryBackoff(initial, max);
      return this;
    }

    /**
     * Sets the whole retry schedule of a decision instead of {@link #maxAttempts} and {@link
     * #retryBackoff}.
     *
     * @param schedule 1 to 10 attempts
     * @return this builder
     */
    public Builder retry(RetrySchedule schedule) {
      failurePolicy.retry(schedule);
      return this;
    }

    /**
     * Sets the circuit breaker around Redis; {@link RedisFailurePolicy#DEFAULT_BREAKER} by default.
     *
     * @param breaker its configuration
     * @return this builder
     */
    public Builder breaker(CircuitBreakerConfig breaker) {
      failurePolicy.breaker(breaker);
      return this;
    }

    /**
     * Sets the prefix of every key; {@code sluice:rl:} by default.
     *
     * @param prefix without <code>{</code> or <code>}</code>
     * @return this builder
     */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * Remembers up to {@code size} keys that Redis refused until a known time, and refuses them
     * locally until then without a round trip; 0 (off) by default.
     *
     * @param size at least 0
     * @return this builder
     */
    public Builder overLimitCache(int size) {
      this.overLimitCacheSize = size;
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
          connection.build(), failurePolicy.build(), keyPrefix, overLimitCacheSize, listeners);
    }
  }
}
