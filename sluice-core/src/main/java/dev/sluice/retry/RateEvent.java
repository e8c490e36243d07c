package dev.sluice.retry;

import java.time.Instant;
import java.util.Objects;

/**
 * One response a {@link RateLearner} learned from.
 *
 * @param at when it was recorded (wall clock of the time source)
 * @param kind throttled or success
 */
public record RateEvent(Instant at, Kind kind) {
  /** What the response said. */
  public enum Kind {
    /** The provider throttled the call (429 or what the caller counts as throttling). */
    THROTTLED,
    /** The call went through. */
    SUCCESS
  }

  /** Checks the values are present. */
  public RateEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
  }
}
