package dev.sluice.redis;

import dev.sluice.ratelimit.Decision;
import java.util.Objects;

/**
 * A {@link Decision} together with where it came from, so a caller can tell a decision Redis made
 * from one taken while Redis was away (for example to leave rate-limit headers out, or to count
 * unverified admissions).
 *
 * @param decision the decision
 * @param origin who made it
 * @param redisTimeMicros Redis' clock when the script decided, in microseconds since the epoch, or
 *     {@link #NO_REDIS_TIME} when Redis did not decide
 */
public record RedisDecision(Decision decision, Origin origin, long redisTimeMicros) {
  /** The {@link #redisTimeMicros()} of a decision Redis did not make. */
  public static final long NO_REDIS_TIME = -1;

  /** Checks the values. */
  public RedisDecision {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(origin, "origin");
  }

  /**
   * A decision made without Redis.
   *
   * @param decision the decision
   * @param origin who made it
   */
  public RedisDecision(Decision decision, Origin origin) {
    this(decision, origin, NO_REDIS_TIME);
  }

  /**
   * Whether the decision rests on the shared state in Redis.
   *
   * @return true for {@link Origin#REDIS} and {@link Origin#OVER_LIMIT_CACHE}
   */
  public boolean verified() {
    return origin == Origin.REDIS || origin == Origin.OVER_LIMIT_CACHE;
  }

  /** Who made a decision. */
  public enum Origin {
    /** The script, on Redis. */
    REDIS,
    /**
     * The local over-limit cache: Redis said earlier that the key is refused until a known time,
     * and that time has not come yet.
     */
    OVER_LIMIT_CACHE,
    /** Redis was away and the store failed open: allowed, not verified. */
    FAIL_OPEN,
    /** Redis was away and the store failed closed: denied, not verified. */
    FAIL_CLOSED,
    /** Redis was away and this node's share of the limits decided locally. */
    FALLBACK
  }
}
