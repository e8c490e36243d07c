package dev.sluice.redis;

/**
 * What a {@link RedisStore} decides when Redis cannot answer (down, timing out, or the breaker
 * open). Every such decision is marked as not verified by Redis (see {@link RedisDecision}).
 */
public enum FailureMode {
  /**
   * Allow the request. Availability over protection: nothing is limited while Redis is away. The
   * decision reports every limit as whole.
   */
  FAIL_OPEN,
  /**
   * Deny the request with a retry-after (the breaker's remaining open time, or the configured
   * fail-closed retry-after). Protection over availability.
   */
  FAIL_CLOSED,
  /**
   * Limit locally, in an in-memory store on this node, with this node's share of each limit (quota
   * and burst divided by the configured number of nodes, at least 1). The default.
   */
  FALLBACK
}
