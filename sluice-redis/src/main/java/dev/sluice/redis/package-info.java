/**
 * Rate limits shared by every node of a service, on Redis.
 *
 * <p>Start with {@link dev.sluice.redis.RedisStore}, configured by a {@link
 * dev.sluice.redis.RedisStoreConfig}: a {@code LimitStore} whose every decision is one Lua script
 * evaluating all of a key's limits on Redis' clock, consuming from all of them or none. {@link
 * dev.sluice.redis.FailureMode} says what to decide while Redis is away, and {@link
 * dev.sluice.redis.RedisDecision} tells such decisions from verified ones. {@link
 * dev.sluice.redis.RedisStoreStats} counts what the store did, errors by {@link
 * dev.sluice.redis.RedisErrorKind} included, and a {@link dev.sluice.redis.RedisStoreListener}
 * hears each call to Redis with its duration.
 */
@NullMarked
package dev.sluice.redis;

import org.jspecify.annotations.NullMarked;
