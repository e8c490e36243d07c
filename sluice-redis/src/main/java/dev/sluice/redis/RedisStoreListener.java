package dev.sluice.redis;

/**
 * Hears each call a {@link RedisStore} makes to Redis, for what a snapshot of counts cannot hold:
 * the duration of every call, for a latency histogram, which needs a metrics library this module
 * does without. Every method has an empty default, so implement only what you need; register with
 * {@link RedisStoreConfig.Builder#listener}. {@code sluice-metrics}' {@code RedisStoreMetrics} is
 * one.
 *
 * <pre>{@code
 * RedisStore store = RedisStore.create(RedisStoreConfig.builder()
 *     .standalone("redis.internal:6379")
 *     .listener(new RedisStoreListener() {
 *       @Override
 *       public void onCommand(long nanos, boolean succeeded) {
 *         latency.record(nanos);
 *       }
 *     })
 *     .build());
 * }</pre>
 *
 * <p>Methods run on the deciding thread, under no lock of the store, and the decision waits for
 * them: keep them short. One that throws is logged (the first time at {@code WARNING}, later at
 * {@code DEBUG}) and the decision carries on as if it had returned. Without a listener the store
 * reads no clock to time its calls.
 *
 * <p>A decision makes one call, one more for each transient error retried, and none when the
 * over-limit cache or the open breaker decided. Errors and reloads are also counted in {@link
 * RedisStore#stats()}.
 */
public interface RedisStoreListener {

  /**
   * One call of the decision script returned or failed. A call that met {@code NOSCRIPT} lasts
   * until the script, loaded again, replied.
   *
   * @param nanos how long the call took, on the store's {@link dev.sluice.time.TimeSource}; never
   *     negative
   * @param succeeded {@code true} if Redis replied a decision; {@code false} on any error, which
   *     {@link #onError} then names
   */
  default void onCommand(long nanos, boolean succeeded) {}

  /**
   * A call failed, right after its {@link #onCommand} with {@code succeeded == false}.
   *
   * @param kind what went wrong
   */
  default void onError(RedisErrorKind kind) {}

  /**
   * Redis did not know the script ({@code NOSCRIPT}: a restarted server, {@code SCRIPT FLUSH}, a
   * failover to a replica or a cluster node that never loaded it), and the store sent it again with
   * the call. The load when the store connects is not reported.
   */
  default void onScriptReload() {}
}
