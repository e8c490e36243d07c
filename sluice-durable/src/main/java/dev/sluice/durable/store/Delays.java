package dev.sluice.durable.store;

/**
 * Times a caller passes are written as a distance from the statement's clock ({@code clock.now +
 * delay}), so a store on the database's clock keeps the caller's intervals and a store on the
 * caller's clock gets the caller's times back.
 */
final class Delays {
  private Delays() {}

  /** Caps a distance so that now + delay cannot overflow a 64-bit integer (about 300 years). */
  static final long MAX_DELAY_MILLIS = 10_000_000_000_000L;

  /** The distance from {@code now} to {@code later}, capped in both directions. */
  static long between(long now, long later) {
    long delay = later - now;
    if (later < now) {
      return Math.max(delay, -MAX_DELAY_MILLIS);
    }
    return delay < 0 ? MAX_DELAY_MILLIS : Math.min(delay, MAX_DELAY_MILLIS);
  }
}
