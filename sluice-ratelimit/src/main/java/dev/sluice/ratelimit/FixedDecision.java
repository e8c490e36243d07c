package dev.sluice.ratelimit;

import java.util.List;
import java.util.Objects;

/** A {@link Decision} whose figures were computed elsewhere. */
final class FixedDecision implements Decision {
  private final List<Limit> limits;
  private final long[] remaining;
  private final long[] resetAfterNanos;
  private final long retryAfterNanos;
  private final long violatedMask;

  FixedDecision(
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
