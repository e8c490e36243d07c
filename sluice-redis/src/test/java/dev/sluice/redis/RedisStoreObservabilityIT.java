package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitState;
import dev.sluice.ratelimit.Limit;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a store tells about its calls to a real Redis: script reloads after {@code SCRIPT FLUSH},
 * errors by kind (a paused server for a timeout, a busy one, a key of the wrong type, a killed
 * server), breaker transitions, and the listener's view of each call. On the system time: the
 * store's retry pauses and the listener's durations are measured on its time source.
 */
class RedisStoreObservabilityIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static final Duration TIMEOUT = Duration.ofMillis(100);
  private static final List<Limit> ONE_PER_HOUR =
      List.of(Limit.of("per-hour", 1, Duration.ofHours(1)));
  private static final List<Limit> MANY_PER_SECOND =
      List.of(Limit.of("per-second", 1_000_000, Duration.ofSeconds(1)));

  private final Recorder recorder = new Recorder();
  private RedisClient admin;
  private StatefulRedisConnection<String, String> adminConnection;
  private RedisCommands<String, String> redis;
  private RedisStore store;

  @BeforeEach
  void connectAdmin() {
    admin = RedisClient.create(REDIS.server().uri());
    adminConnection = admin.connect();
    redis = adminConnection.sync();
  }

  @AfterEach
  void restoreRedis() {
    if (store != null) {
      store.close();
    }
    adminConnection.close();
    admin.shutdown();
    if (!REDIS.server().isRunning()) {
      REDIS.server().restart();
    }
  }

  private RedisStoreConfig.Builder config(int breakerThreshold) {
    RedisServer server = REDIS.server();
    return RedisStoreConfig.builder()
        .standalone(server.host() + ":" + server.port())
        .commandTimeout(TIMEOUT)
        .reconnectDelayMax(Duration.ofMillis(100))
        .onFailure(FailureMode.FAIL_OPEN)
        .breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(breakerThreshold)
                .openDelay(Duration.ofMillis(200))
                .maxOpenDelay(Duration.ofMillis(400))
                .build());
  }

  private RedisStore store(RedisStoreConfig.Builder config) {
    store = RedisStore.create(config.listener(recorder).build());
    return store;
  }

  private RedisDecision decide(String key, List<Limit> limits) {
    return store.decideWithOrigin(key, limits, 1, 0);
  }

  @Test
  void aScriptFlushBetweenDecisionsIsOneReloadAndTheLimitStillHolds() {
    store(config(100));
    assertThat(decide("flushed", ONE_PER_HOUR).decision().allowed()).isTrue();
    assertThat(store.stats().scriptReloads()).isZero();

    redis.scriptFlush();
    RedisDecision second = decide("flushed", ONE_PER_HOUR);
    assertThat(second.origin()).isEqualTo(RedisDecision.Origin.REDIS);
    assertThat(second.decision().allowed()).as("the permit taken before the flush").isFalse();
    RedisDecision third = decide("flushed", ONE_PER_HOUR);
    assertThat(third.decision().allowed()).isFalse();

    assertThat(store.stats().scriptReloads()).isEqualTo(1);
    assertThat(recorder.reloads.get()).isEqualTo(1);
    assertThat(recorder.commands(true)).isEqualTo(3);
    assertThat(recorder.commands(false)).isZero();
    assertThat(store.stats().errors().values()).containsOnly(0L);
  }

  @Test
  void aPausedServerIsOneTimeoutNotRetried() {
    store(config(100));
    assertThat(decide("paused", MANY_PER_SECOND).origin()).isEqualTo(RedisDecision.Origin.REDIS);
    // write commands (the script may write) wait while the pause lasts; this connection's do not
    client("PAUSE", "10000", "WRITE");
    try {
      RedisDecision decision = decide("paused", MANY_PER_SECOND);
      assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.FAIL_OPEN);
    } finally {
      client("UNPAUSE");
    }
    RedisStoreStats stats = store.stats();
    assertThat(stats.errors(RedisErrorKind.TIMEOUT)).isEqualTo(1);
    assertThat(stats.retries()).isZero();
    assertThat(stats.failures()).isEqualTo(1);
    assertThat(errorsBut(stats, RedisErrorKind.TIMEOUT)).isZero();
    assertThat(recorder.errors()).containsExactly(RedisErrorKind.TIMEOUT);
    assertThat(recorder.commands(false)).isEqualTo(1);
    // a timeout takes at least the command timeout, measured on the store's time source
    assertThat(recorder.longestFailedNanos.get()).isGreaterThanOrEqualTo(TIMEOUT.toNanos() / 2);
  }

  @Test
  void aBusyServerIsUnavailableAndEveryAttemptCounts() {
    store(config(100).maxAttempts(3));
    assertThat(decide("busy", MANY_PER_SECOND).origin()).isEqualTo(RedisDecision.Origin.REDIS);
    String threshold = redis.configGet("lua-time-limit").getOrDefault("lua-time-limit", "5000");
    redis.configSet("lua-time-limit", "1");
    RedisClient busyClient = RedisClient.create(REDIS.server().uri());
    try (StatefulRedisConnection<String, String> busy = busyClient.connect()) {
      // a script that runs for 10 s unless killed: meanwhile Redis replies BUSY to every other call
      busy.async()
          .eval(
              "local s = tonumber(redis.call('TIME')[1]) "
                  + "while tonumber(redis.call('TIME')[1]) < s + 10 do end return 1",
              ScriptOutputType.INTEGER);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                try {
                  redis.ping();
                  return false;
                } catch (RedisBusyException e) {
                  return true;
                }
              });
      RedisDecision decision = decide("busy", MANY_PER_SECOND);
      assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.FAIL_OPEN);
    } finally {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(5))
          .ignoreExceptions()
          .until(
              () -> {
                try {
                  redis.scriptKill();
                } catch (RedisCommandExecutionException notBusy) {
                  // NOTBUSY: no script runs any more
                }
                return "PONG".equals(redis.ping());
              });
      redis.configSet("lua-time-limit", threshold);
      busyClient.shutdown();
    }
    RedisStoreStats stats = store.stats();
    assertThat(stats.errors(RedisErrorKind.UNAVAILABLE)).isEqualTo(3);
    assertThat(stats.retries()).isEqualTo(2);
    assertThat(stats.failures()).isEqualTo(1);
    assertThat(errorsBut(stats, RedisErrorKind.UNAVAILABLE)).isZero();
    assertThat(recorder.errors())
        .containsExactly(
            RedisErrorKind.UNAVAILABLE, RedisErrorKind.UNAVAILABLE, RedisErrorKind.UNAVAILABLE);
    assertThat(recorder.commands(false)).isEqualTo(3);
    assertThat(decide("busy", MANY_PER_SECOND).origin()).isEqualTo(RedisDecision.Origin.REDIS);
  }

  @Test
  void aKeyOfTheWrongTypeIsAScriptErrorNotRetried() {
    store(config(100));
    redis.hset("sluice:rl:{wrong-type}:per-hour", "field", "value");
    RedisDecision decision = decide("wrong-type", ONE_PER_HOUR);
    assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.FAIL_OPEN);
    RedisStoreStats stats = store.stats();
    assertThat(stats.errors(RedisErrorKind.SCRIPT)).isEqualTo(1);
    assertThat(stats.retries()).isZero();
    assertThat(errorsBut(stats, RedisErrorKind.SCRIPT)).isZero();
    assertThat(recorder.errors()).containsExactly(RedisErrorKind.SCRIPT);
  }

  @Test
  void aKilledServerIsConnectionErrorsAndTheBreakerTransitionsAreCounted() {
    store(config(3));
    assertThat(decide("killed", MANY_PER_SECOND).origin()).isEqualTo(RedisDecision.Origin.REDIS);
    assertThat(store.stats().breakerTransitions().values()).containsOnly(0L);

    REDIS.server().kill();
    int decisions = 0;
    while (store.breakerState() != CircuitState.OPEN) {
      assertThat(decide("killed", MANY_PER_SECOND).verified()).isFalse();
      assertThat(++decisions).isLessThanOrEqualTo(3);
    }
    RedisStoreStats down = store.stats();
    assertThat(down.errors(RedisErrorKind.CONNECTION)).isPositive();
    // a loaded machine may see the closed socket late: a call written meanwhile times out
    assertThat(down.errors(RedisErrorKind.SCRIPT)).isZero();
    assertThat(down.errors(RedisErrorKind.UNAVAILABLE)).isZero();
    assertThat(down.errors(RedisErrorKind.OTHER)).isZero();
    assertThat(down.breakerTransitions(CircuitState.OPEN)).isEqualTo(1);
    assertThat(down.errors().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(recorder.commands(false));

    REDIS.server().restart();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> decide("killed", MANY_PER_SECOND).origin() == RedisDecision.Origin.REDIS);
    RedisStoreStats up = store.stats();
    assertThat(up.breakerTransitions(CircuitState.CLOSED)).isEqualTo(1);
    // every probe entered half-open; each that failed opened the breaker again
    assertThat(up.breakerTransitions(CircuitState.HALF_OPEN))
        .isPositive()
        .isEqualTo(up.breakerTransitions(CircuitState.OPEN));
    // the restarted server starts empty: the script was sent again, once
    assertThat(up.scriptReloads()).isEqualTo(1);
    assertThat(recorder.reloads.get()).isEqualTo(1);
  }

  @Test
  void theListenerHearsOneCallPerDecisionToRedisAndNoneForTheOverLimitCache() {
    store(config(100).overLimitCache(10));
    for (int i = 0; i < 20; i++) {
      assertThat(decide("heard-" + i, ONE_PER_HOUR).decision().allowed()).isTrue();
    }
    assertThat(decide("heard-0", ONE_PER_HOUR).origin()).isEqualTo(RedisDecision.Origin.REDIS);
    assertThat(decide("heard-0", ONE_PER_HOUR).origin())
        .isEqualTo(RedisDecision.Origin.OVER_LIMIT_CACHE);

    assertThat(recorder.commands(true)).isEqualTo(21);
    assertThat(recorder.commands(false)).isZero();
    assertThat(recorder.shortestNanos.get()).isNotNegative();
    assertThat(recorder.errors()).isEmpty();
    assertThat(store.stats().redis()).isEqualTo(21);
  }

  @Test
  void aListenerThatThrowsBreaksNoDecisionAndTheNextOneStillHears() {
    RedisStoreListener throwing =
        new RedisStoreListener() {
          @Override
          public void onCommand(long nanos, boolean succeeded) {
            throw new IllegalStateException("onCommand");
          }

          @Override
          public void onError(RedisErrorKind kind) {
            throw new IllegalStateException("onError");
          }

          @Override
          public void onScriptReload() {
            throw new IllegalStateException("onScriptReload");
          }
        };
    store(config(100).listener(throwing));
    assertThat(decide("throwing", ONE_PER_HOUR).decision().allowed()).isTrue();
    redis.scriptFlush();
    RedisDecision refused = decide("throwing", ONE_PER_HOUR);
    assertThat(refused.origin()).isEqualTo(RedisDecision.Origin.REDIS);
    assertThat(refused.decision().allowed()).isFalse();
    redis.hset("sluice:rl:{throwing-wrong}:per-hour", "field", "value");
    assertThat(decide("throwing-wrong", ONE_PER_HOUR).origin())
        .isEqualTo(RedisDecision.Origin.FAIL_OPEN);

    // the throwing listener, told first, never kept the recorder after it from hearing
    assertThat(recorder.commands(true)).isEqualTo(2);
    assertThat(recorder.commands(false)).isEqualTo(1);
    assertThat(recorder.reloads.get()).isEqualTo(1);
    assertThat(recorder.errors()).containsExactly(RedisErrorKind.SCRIPT);
    assertThat(store.stats().scriptReloads()).isEqualTo(1);
  }

  private void client(String... args) {
    CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8);
    for (String arg : args) {
      command.add(arg);
    }
    assertThat(redis.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), command))
        .isEqualTo("OK");
  }

  private static long errorsBut(RedisStoreStats stats, RedisErrorKind kind) {
    long sum = 0;
    for (Map.Entry<RedisErrorKind, Long> entry : stats.errors().entrySet()) {
      if (entry.getKey() != kind) {
        sum += entry.getValue();
      }
    }
    return sum;
  }

  /** Records what the store tells its listener. */
  private static final class Recorder implements RedisStoreListener {
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong shortestNanos = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong longestFailedNanos = new AtomicLong();
    final AtomicLong reloads = new AtomicLong();
    private final List<RedisErrorKind> errors = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onCommand(long nanos, boolean ok) {
      (ok ? succeeded : failed).incrementAndGet();
      shortestNanos.accumulateAndGet(nanos, Math::min);
      if (!ok) {
        longestFailedNanos.accumulateAndGet(nanos, Math::max);
      }
    }

    @Override
    public void onError(RedisErrorKind kind) {
      errors.add(kind);
    }

    @Override
    public void onScriptReload() {
      reloads.incrementAndGet();
    }

    long commands(boolean ok) {
      return (ok ? succeeded : failed).get();
    }

    List<RedisErrorKind> errors() {
      synchronized (errors) {
        return List.copyOf(errors);
      }
    }
  }
}
