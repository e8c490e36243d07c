package dev.sluice.redis;

/**
 * What went wrong with one call of the decision script, so that an outage (no connection), a slow
 * server (timeouts), a server passing through a failover or a resharding, and a bug or a
 * misconfiguration (an error reply) are told apart. Counted by {@link RedisStoreStats#errors()} and
 * told to {@link RedisStoreListener#onError}. The set is small and fixed, fit for a metric tag.
 */
public enum RedisErrorKind {
  /** No reply within the command timeout. The script may have run, so the call is not retried. */
  TIMEOUT,
  /**
   * No connection: refused, lost, closed while the call waited for its reply, or not made yet. A
   * call rejected before it was written is retried.
   */
  CONNECTION,
  /**
   * Redis replied that it cannot serve now: {@code LOADING}, {@code READONLY} (a replica, mid
   * failover), {@code BUSY}, {@code TRYAGAIN}, {@code CLUSTERDOWN} or {@code MASTERDOWN}. The
   * script did not run, and the call is retried.
   */
  UNAVAILABLE,
  /**
   * Redis replied an error to the script call (a Lua error such as a key of the wrong type, out of
   * memory, a command the ACL forbids), or a reply the store cannot read. Not retried.
   */
  SCRIPT,
  /** Anything else, such as a caller interrupted while it waited for the reply. */
  OTHER
}
