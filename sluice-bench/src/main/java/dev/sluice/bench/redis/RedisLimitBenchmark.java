package dev.sluice.bench.redis;

import dev.sluice.ratelimit.Limit;
import dev.sluice.redis.FailureMode;
import dev.sluice.redis.RedisStore;
import dev.sluice.redis.RedisStoreConfig;
import dev.sluice.testkit.RedisServer;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decisions per second on one hot key in Redis, side by side on the same redis-server: Sluice's
 * {@link RedisStore} (one EVALSHA per decision), Bucket4j's Lettuce proxy manager (GET, compute in
 * the JVM, compare-and-swap script; retried on conflict), and the ceiling: EVALSHA of a script that
 * returns at once, over the same kind of shared Lettuce connection. The limit never runs out during
 * a run, so every decision writes. The subclasses fix the number of concurrent callers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class RedisLimitBenchmark {
  private static final String KEY = "hot";
  private static final long RATE_PER_SECOND = 1_000_000;

  /** One redis-server and the three clients, shared by the threads of a run. */
  @State(Scope.Benchmark)
  public static class Clients {
    RedisServer server;
    RedisStore store;
    List<Limit> limits;
    RedisClient bucket4jClient;
    StatefulRedisConnection<String, byte[]> bucket4jConnection;
    BucketProxy bucket;
    RedisClient rawClient;
    StatefulRedisConnection<String, String> rawConnection;
    RedisCommands<String, String> raw;
    String trivialSha;

    @Setup(Level.Trial)
    public void setUp() {
      server = RedisServer.start();
      store =
          RedisStore.create(
              RedisStoreConfig.builder()
                  .standalone(server.host() + ":" + server.port())
                  .commandTimeout(Duration.ofSeconds(5))
                  .onFailure(FailureMode.FAIL_CLOSED)
                  .build());
      limits = List.of(Limit.of("per-second", RATE_PER_SECOND, Duration.ofSeconds(1)));

      bucket4jClient = RedisClient.create(server.uri());
      bucket4jConnection =
          bucket4jClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      LettuceBasedProxyManager<String> proxies =
          LettuceBasedProxyManager.builderFor(bucket4jConnection)
              .withExpirationStrategy(
                  ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                      Duration.ofSeconds(10)))
              .build();
      BucketConfiguration configuration =
          BucketConfiguration.builder()
              .addLimit(
                  limit ->
                      limit
                          .capacity(RATE_PER_SECOND)
                          .refillGreedy(RATE_PER_SECOND, Duration.ofSeconds(1)))
              .build();
      bucket = proxies.builder().build(KEY, () -> configuration);

      rawClient = RedisClient.create(server.uri());
      rawConnection = rawClient.connect();
      raw = rawConnection.sync();
      trivialSha = raw.scriptLoad("return 1");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      store.close();
      bucket4jConnection.close();
      bucket4jClient.shutdown();
      rawConnection.close();
      rawClient.shutdown();
      server.stop();
    }
  }

  /**
   * Sluice: one script evaluates and charges the key's limit.
   *
   * @param clients the shared clients
   * @return whether the request was allowed
   */
  @Benchmark
  public boolean sluiceRedisStore(Clients clients) {
    return clients.store.decide(KEY, clients.limits, 1, 0).allowed();
  }

  /**
   * Bucket4j's Lettuce proxy manager on the same server.
   *
   * @param clients the shared clients
   * @return whether the request was allowed
   */
  @Benchmark
  public boolean bucket4jLettuce(Clients clients) {
    return clients.bucket.tryConsume(1);
  }

  /**
   * The ceiling: one EVALSHA of {@code return 1}.
   *
   * @param clients the shared clients
   * @return the script's reply
   */
  @Benchmark
  public Long rawEvalsha(Clients clients) {
    return clients.raw.evalsha(clients.trivialSha, ScriptOutputType.INTEGER, KEY);
  }
}
