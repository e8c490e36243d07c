package dev.sluice.redis;

/**
 * Counts of a {@link RedisStore} since it was created, for metrics and for telling how much of the
 * traffic Redis decided.
 *
 * @param redis decisions made by the script on Redis
 * @param overLimitCache refusals made by the local over-limit cache
 * @param failOpen decisions allowed because Redis was away
 * @param failClosed decisions denied because Redis was away
 * @param fallback decisions made by the local fallback store
 * @param retries script calls sent again after a transient error
 * @param failures decisions on which Redis failed (after retries) or the breaker refused the call
 */
public record RedisStoreStats(
    long redis,
    long overLimitCache,
    long failOpen,
    long failClosed,
    long fallback,
    long retries,
    long failures) {}
