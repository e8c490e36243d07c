package dev.sluice.ratelimit.policy;

/** What the policy decided for one request. */
public enum Outcome {
  /** Within every limit; the permits were taken. */
  ALLOWED,
  /** Over a limit of an enforcing rule; refuse with the verdict's retry-after. */
  DENIED,
  /** Over a limit of a shadow rule; reported, but the request proceeds. */
  SHADOW_DENIED,
  /** The client is serving a progressive penalty; refused until it expires. */
  PENALIZED,
  /** The client, user or path is exempt; nothing was counted. */
  EXEMPT,
  /** No limit applies to the request (no rule matched and the policy has no defaults). */
  UNLIMITED;

  /**
   * Whether the request must be refused.
   *
   * @return true for {@link #DENIED} and {@link #PENALIZED}
   */
  public boolean blocked() {
    return this == DENIED || this == PENALIZED;
  }
}
