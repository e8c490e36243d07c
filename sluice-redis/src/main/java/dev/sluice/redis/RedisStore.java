package dev.sluice.redis;

import dev.sluice.PolicyChain;
import dev.sluice.Sluice;
import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitPermit;
import dev.sluice.breaker.CircuitState;
import dev.sluice.event.BreakerTransitioned;
import dev.sluice.event.RetryAttempted;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.internal.RemoteDecision;
import dev.sluice.ratelimit.policy.PenaltyStore;
import dev.sluice.ratelimit.store.LimitStore;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LimitStore} on Redis, shared by every node of a service: each decision is one Lua script
 * that evaluates all the limits of a key and charges all of them or none, with Redis' own clock
 * ({@code TIME}), so the nodes' clocks never matter.
 *
 * <pre>{@code
 * try (RedisStore store = RedisStore.create(RedisStoreConfig.builder()
 *     .standalone("redis.internal:6379")
 *     .onFailure(FailureMode.FALLBACK)
 *     .fallbackNodes(3)
 *     .build())) {
 *   RateLimiter limiter = RateLimiter.builder().store(store).build();
 *   Decision decision = limiter.decide("user:42", limits);
 * }
 * }</pre>
 *
 * <p><b>Keys.</b> Limit {@code id} of key {@code k} lives at {@code prefix{k}:id} (plus {@code
 * prefix{k}:id:log} for a sliding log); the hash tag puts every key of one client in one slot. A
 * key expires exactly when its limit is whole again.
 *
 * <p><b>When Redis cannot answer</b> (connection lost, command timeout, breaker open) the
 * configured {@link FailureMode} decides, and {@link #decideWithOrigin} says so. Errors after which
 * the script surely did not run are retried a few times with backoff; timeouts are not (the script
 * may have run). A circuit breaker stops calling a dead Redis and probes it to find it back. No
 * exception from Redis reaches the caller.
 *
 * <p><b>Observing it.</b> {@link #stats()} counts decisions by origin, retries, failures, script
 * reloads, errors by {@link RedisErrorKind} and breaker transitions; a {@link RedisStoreListener}
 * ({@link RedisStoreConfig.Builder#listener}) hears each call to Redis with its duration, on the
 * store's time source. {@code sluice-metrics}' {@code RedisStoreMetrics} exports both.
 *
 * <p>Safe for concurrent use: all callers share one multiplexed connection.
 */
public final class RedisStore implements LimitStore, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());

  private final RedisStoreConfig config;
  private final DecideScript script;
  private final PenaltyScripts penaltyScripts;
  private final RedisKeys names;
  private final RedisLink link;
  private final CircuitBreaker breaker;
  private final PolicyChain retry;
  private final OverLimitCache overLimit;
  private final FallbackLimits fallback;
  private final LongAdder[] byOrigin = adders(RedisDecision.Origin.values().length);
  private final LongAdder retries = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder scriptReloads = new LongAdder();
  private final LongAdder[] errors = adders(RedisErrorKind.values().length);
  private final LongAdder[] transitions = adders(CircuitState.values().length);
  private final TimeSource time;
  private final @Nullable StoreListeners listeners;

  private RedisStore(
      RedisStoreConfig config,
      DecideScript script,
      PenaltyScripts penaltyScripts,
      TimeSource time) {
    this.config = Objects.requireNonNull(config, "config");
    this.time = Objects.requireNonNull(time, "time");
    this.listeners = StoreListeners.of(config);
    this.script = script;
    this.penaltyScripts = penaltyScripts;
    this.names = new RedisKeys(config.keyPrefix());
    this.breaker =
        CircuitBreaker.builder()
            .name("redis " + config.connection().endpoints())
            .config(config.failurePolicy().breaker())
            .timeSource(time)
            .listener(
                event -> {
                  if (!(event instanceof BreakerTransitioned transition)) {
                    return;
                  }
                  transitions[transition.to().ordinal()].increment();
                  LOG.log(
                      transition.to() == CircuitState.CLOSED
                          ? System.Logger.Level.INFO
                          : System.Logger.Level.WARNING,
                      () ->
                          "redis breaker "
                              + transition.from()
                              + " -> "
                              + transition.to()
                              + " for "
                              + config.connection().endpoints()
                              + "; while it is not closed, decisions are "
                              + config.failurePolicy().onFailure());
                })
            .build();
    this.retry =
        Sluice.with(
            RetryPolicy.builder()
                .schedule(config.failurePolicy().retry())
                .retryIf(Transients::isTransient)
                .timeSource(time)
                .listener(
                    event -> {
                      if (event instanceof RetryAttempted attempt && attempt.retrying()) {
                        retries.increment();
                      }
                    })
                .build());
    this.overLimit = new OverLimitCache(config.overLimitCacheSize());
    this.fallback =
        new FallbackLimits(
            config.failurePolicy().fallbackNodes(), config.failurePolicy().fallbackMaxKeys());
    this.link =
        RedisLink.open(
            config.connection(), config.failurePolicy().onFailure(), this::scriptReloaded);
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  /**
   * Connects to Redis with the system time source (used for backoff pauses, the breaker and the
   * local caches).
   *
   * @param config the configuration
   * @return a connected store; close it to release the connection
   * @throws RedisStoreException if the first connection fails
   */
  public static RedisStore create(RedisStoreConfig config) {
    return new RedisStore(
        config, DecideScript.redisClock(), PenaltyScripts.redisClock(), TimeSource.system());
  }

  /**
   * Connects to Redis with a time source for backoff pauses, the breaker and the local caches.
   * Decisions still take their time from Redis.
   *
   * @param config the configuration
   * @param time the time source
   * @return a connected store; close it to release the connection
   * @throws RedisStoreException if the first connection fails
   */
  public static RedisStore create(RedisStoreConfig config, TimeSource time) {
    return new RedisStore(config, DecideScript.redisClock(), PenaltyScripts.redisClock(), time);
  }

  /**
   * A store whose scripts take the caller's time instead of Redis' clock (for penalties, the
   * enforcer's ticker), and whose keys never expire: only for one caller whose clock is the
   * reference, as in tests that compare the script with the in-memory engine decision by decision.
   */
  static RedisStore withCallerClock(RedisStoreConfig config, TimeSource time) {
    return new RedisStore(config, DecideScript.callerClock(), PenaltyScripts.callerClock(), time);
  }

  /**
   * A store of progressive penalties in this Redis, for {@code PolicyEnforcer.create(policy,
   * limiter, store.penalties(n))}: every node that uses it sees the same penalties, so a client
   * penalized through one node is refused by all. Each check and each violation is one Lua script,
   * atomic, on Redis' clock (the nodes' clocks never matter), under this store's key prefix and
   * hash-tag scheme ({@code prefix{client}:~penalty}); a record expires once its level is
   * forgotten. Calls share this store's connection, breaker and retries; when Redis cannot answer
   * the {@link FailureMode} decides (see {@link RedisPenaltyStore}). Make one per enforcer.
   *
   * @param maxClients the most clients whose penalties are remembered in this process (those known
   *     in force, and in fallback those kept locally), at least 1
   * @return a penalty store on this store's connection; closing this store closes it too
   * @throws IllegalArgumentException if {@code maxClients} is below 1
   */
  public PenaltyStore penalties(long maxClients) {
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxPenalizedClients must be >= 1, was " + maxClients);
    }
    return new RedisPenaltyStore(this, names, penaltyScripts, maxClients);
  }

  @Override
  public Decision decide(String key, List<Limit> limits, long cost, long nowNanos) {
    return decideWithOrigin(key, limits, cost, nowNanos).decision();
  }

  /**
   * Decides like {@link #decide}, and says who decided: Redis, the local over-limit cache, or the
   * failure mode while Redis was away.
   *
   * @param key the thing being limited
   * @param limits its limits: 1 to 64, with distinct ids
   * @param cost permits wanted, at least 1
   * @param nowNanos the caller's time, UTC epoch nanoseconds advancing monotonically as {@link
   *     dev.sluice.ratelimit.RateLimiter} hands it, for the local caches and the fallback store
   *     (whose windows then fall on the same UTC multiples as Redis')
   * @return the decision and its origin
   */
  public RedisDecision decideWithOrigin(String key, List<Limit> limits, long cost, long nowNanos) {
    RedisDecision decision = decideOnce(key, limits, cost, nowNanos);
    byOrigin[decision.origin().ordinal()].increment();
    return decision;
  }

  private RedisDecision decideOnce(String key, List<Limit> limits, long cost, long nowNanos) {
    Decision cached = overLimit.refusal(key, limits, cost, nowNanos);
    if (cached != null) {
      return new RedisDecision(cached, RedisDecision.Origin.OVER_LIMIT_CACHE);
    }
    String[] keys = script.keys(names, key, limits);
    String[] args = script.args(limits, cost, nowNanos);
    RedisDecision decision =
        guarded(
            "decision for key " + key,
            DecideScript.SOURCE,
            DecideScript.SHA,
            keys,
            args,
            reply ->
                new RedisDecision(
                    script.decision(limits, reply),
                    RedisDecision.Origin.REDIS,
                    script.nowNanos(reply) / 1_000));
    if (decision == null) {
      failures.increment();
      return unavailable(key, limits, cost, nowNanos);
    }
    overLimit.record(key, limits, cost, nowNanos, decision.decision());
    return decision;
  }

  /**
   * Runs a script through the breaker, retrying transient errors: the way every call of this store
   * reaches Redis, decisions and penalties alike.
   *
   * @return what {@code read} made of the reply, or null when Redis cannot answer (breaker open, or
   *     the call failed after retries), for the caller's failure mode to decide
   */
  <T> @Nullable T guarded(
      String what,
      String source,
      String sha,
      String[] keys,
      String[] args,
      Function<List<Object>, T> read) {
    Optional<CircuitPermit> permit = breaker.tryAcquire();
    if (permit.isEmpty()) {
      return null;
    }
    T result;
    try {
      result = retry.get(() -> call(source, sha, keys, args, read));
    } catch (RuntimeException e) {
      // an interrupted caller says nothing about Redis' health; else the breaker's rules classify
      if (Thread.currentThread().isInterrupted()
          || e instanceof io.lettuce.core.RedisCommandInterruptedException) {
        permit.get().recordIgnored();
      } else {
        permit.get().recordOutcome(e, null);
      }
      LOG.log(System.Logger.Level.DEBUG, () -> "redis " + what + " failed", e);
      return null;
    }
    permit.get().recordSuccess();
    return result;
  }

  /**
   * One call of a script and the reading of its reply, counted by kind when it fails and timed on
   * the time source when a listener hears it (and only then).
   */
  private <T> T call(
      String source, String sha, String[] keys, String[] args, Function<List<Object>, T> read) {
    StoreListeners heard = listeners;
    long start = heard == null ? 0 : time.nanoTime();
    T result;
    try {
      result = read.apply(link.eval(source, sha, keys, args));
    } catch (RuntimeException e) {
      RedisErrorKind kind = Transients.kind(e);
      errors[kind.ordinal()].increment();
      if (heard != null) {
        heard.onCommand(Math.max(0, time.nanoTime() - start), false);
        heard.onError(kind);
      }
      throw e;
    }
    if (heard != null) {
      heard.onCommand(Math.max(0, time.nanoTime() - start), true);
    }
    return result;
  }

  /** Called by the link, on the deciding thread, when Redis did not know the script. */
  private void scriptReloaded() {
    scriptReloads.increment();
    StoreListeners heard = listeners;
    if (heard != null) {
      heard.onScriptReload();
    }
  }

  private RedisDecision unavailable(String key, List<Limit> limits, long cost, long nowNanos) {
    return switch (config.failurePolicy().onFailure()) {
      case FALLBACK ->
          new RedisDecision(
              fallback.decide(key, limits, cost, nowNanos), RedisDecision.Origin.FALLBACK);
      case FAIL_OPEN -> new RedisDecision(whole(limits), RedisDecision.Origin.FAIL_OPEN);
      case FAIL_CLOSED -> new RedisDecision(refused(limits), RedisDecision.Origin.FAIL_CLOSED);
    };
  }

  /** Fail-open: allowed, every limit reported whole (nothing is known). */
  private static Decision whole(List<Limit> limits) {
    int n = limits.size();
    long[] remaining = new long[n];
    for (int i = 0; i < n; i++) {
      Limit limit = limits.get(i);
      remaining[i] = limit.algorithm().hasBurst() ? limit.burst() : limit.quota();
    }
    return RemoteDecision.of(limits, remaining, new long[n], 0, 0);
  }

  /** Fail-closed: denied by every limit until the breaker would let a probe through. */
  private Decision refused(List<Limit> limits) {
    int n = limits.size();
    Duration wait = breaker.retryAfter();
    if (wait.isZero()) {
      wait = config.failurePolicy().failClosedRetryAfter();
    }
    long retryAfter = wait.toNanos();
    long[] resetAfter = new long[n];
    java.util.Arrays.fill(resetAfter, retryAfter);
    long violated = n == 64 ? -1L : (1L << n) - 1;
    return RemoteDecision.of(limits, new long[n], resetAfter, retryAfter, violated);
  }

  /**
   * The number of keys this node holds state for in its local fallback store; the state in Redis is
   * counted by Redis and expires on its own.
   *
   * @return the keys held locally
   */
  @Override
  public long size() {
    return fallback.size();
  }

  /**
   * The counts of decisions by origin, of retries, failures, script reloads, errors by kind and
   * breaker transitions, since the store was created.
   *
   * @return a snapshot
   */
  public RedisStoreStats stats() {
    Map<RedisErrorKind, Long> byKind = new EnumMap<>(RedisErrorKind.class);
    for (RedisErrorKind kind : RedisErrorKind.values()) {
      byKind.put(kind, errors[kind.ordinal()].sum());
    }
    Map<CircuitState, Long> byState = new EnumMap<>(CircuitState.class);
    for (CircuitState state : CircuitState.values()) {
      byState.put(state, transitions[state.ordinal()].sum());
    }
    return new RedisStoreStats(
        count(RedisDecision.Origin.REDIS),
        count(RedisDecision.Origin.OVER_LIMIT_CACHE),
        count(RedisDecision.Origin.FAIL_OPEN),
        count(RedisDecision.Origin.FAIL_CLOSED),
        count(RedisDecision.Origin.FALLBACK),
        retries.sum(),
        failures.sum(),
        scriptReloads.sum(),
        byKind,
        byState);
  }

  private long count(RedisDecision.Origin origin) {
    return byOrigin[origin.ordinal()].sum();
  }

  /**
   * Asks Redis whether it is there: one {@code PING} on the store's connection, bounded by the
   * command timeout. A probe for readiness checks: it bypasses the breaker and counts in no
   * statistic, so it never changes how decisions are made.
   *
   * @return true when Redis answered {@code PONG}
   */
  public boolean ping() {
    return link.ping();
  }

  /**
   * The state of the circuit breaker around Redis.
   *
   * @return the state
   */
  public CircuitState breakerState() {
    return breaker.state();
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public RedisStoreConfig config() {
    return config;
  }

  /** Closes the connection and the client. */
  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    return "RedisStore[" + config + ", breaker=" + breaker.state() + "]";
  }
}
