package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Decision} whose figures were computed elsewhere (a store that decides remotely, such as
 * Redis), with the refusing limits as a bit mask, as a script returns them. Not an API: use {@link
 * Decision#of} outside Sluice's stores.
 */
public final class RemoteDecision implements Decision {
  private final List<Limit> limits;
  private final long[] remaining;
  private final long[] resetAfterNanos;
  private final long retryAfterNanos;
  private final long violatedMask;

  private RemoteDecision(
      List<Limit> limits,
      long[] remaining,
      long[] resetAfterNanos,
      long retryAfterNanos,
      long violatedMask) {
    if (remaining.length != limits.size() || resetAfterNanos.length != limits.size()) {
      throw new IllegalArgumentException(
          "one remaining and one reset value per limit, was "
              + remaining.length
              + " and "
              + resetAfterNanos.length
              + " for "
              + limits.size());
    }
    this.limits = limits;
    this.remaining = remaining;
    this.resetAfterNanos = resetAfterNanos;
    this.retryAfterNanos = retryAfterNanos;
    this.violatedMask = violatedMask;
  }

  /**
   * Creates a decision from a remote store's figures.
   *
   * @param limits the limits decided on, in order
   * @param remaining per limit, the permits left (not copied: the caller hands it over)
   * @param resetAfterNanos per limit, nanoseconds until it is whole again (not copied)
   * @param retryAfterNanos 0 when allowed, else nanoseconds to wait or {@link Decision#NEVER}
   * @param violatedMask bit {@code i} set when limit {@code i} refused the request; 0 when allowed
   * @return the decision
   * @throws IllegalArgumentException if the arrays do not have one value per limit
   */
  public static Decision of(
      List<Limit> limits,
      long[] remaining,
      long[] resetAfterNanos,
      long retryAfterNanos,
      long violatedMask) {
    return new RemoteDecision(
        List.copyOf(limits), remaining, resetAfterNanos, retryAfterNanos, violatedMask);
  }

  @Override
  public boolean allowed() {
    return violatedMask == 0;
  }

  @Override
  public List<Limit> limits() {
    return limits;
  }

  @Override
  public long remaining(int index) {
    return remaining[Objects.checkIndex(index, limits.size())];
  }

  @Override
  public long resetAfterNanos(int index) {
    return resetAfterNanos[Objects.checkIndex(index, limits.size())];
  }

  @Override
  public boolean violated(int index) {
    return (violatedMask >>> Objects.checkIndex(index, limits.size()) & 1) != 0;
  }

  @Override
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  @Override
  public String toString() {
    return Decision.describe(this);
  }
}
