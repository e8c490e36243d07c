package dev.sluice.time;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * UTC time in nanoseconds since the Unix epoch, taken from a {@link TimeSource}'s wall clock and
 * advanced by its monotonic ticker: the time to align things to the calendar with ("per day" is a
 * UTC day) while intervals stay monotonic.
 *
 * <p>A reading is the ticker plus an anchor, the difference between the wall clock and the ticker
 * when the clock last agreed with the wall. Every reading compares the two; while they agree within
 * {@link #STEP_TOLERANCE_NANOS}, the ticker alone moves the clock, so elapsed time is exactly what
 * the ticker measured. When they disagree by more, the wall clock has stepped (an NTP step, an
 * operator setting the date) and the clock re-anchors to it:
 *
 * <ul>
 *   <li><b>a step forward</b> moves the clock forward at once, as if that much time had passed;
 *   <li><b>a step backward</b> re-anchors too, but readings never go backwards: the clock holds at
 *       the latest time it handed out until the wall clock has caught up with it, then follows the
 *       wall again. Nothing that depended on the clock is replayed (a window already used is not
 *       opened again), and for the length of the step time stands still.
 * </ul>
 *
 * <p>A sample of the wall clock whose reads were more than a quarter of the tolerance apart (a
 * thread preempted between them) is not trusted for re-anchoring, and a later reading looks again.
 * Any time source but the system's is looked at on every reading, so a {@link ManualTimeSource}'s
 * {@link ManualTimeSource#stepWall step} shows at once. The system wall clock costs a native call
 * to read (several times the ticker), so it is looked at once per {@link
 * #SYSTEM_CHECK_INTERVAL_NANOS} of the ticker, by whichever reading comes first. The clock
 * therefore agrees with the wall clock within the tolerance at all times but for up to that
 * interval after a step and for the length of a backward step.
 *
 * <pre>{@code
 * EpochClock clock = EpochClock.of(TimeSource.system());
 * long now = clock.epochNanos(); // nanoseconds since 1970-01-01T00:00:00Z
 * }</pre>
 *
 * <p>Safe for concurrent use; a reading writes nothing shared but the time of the next comparison
 * (on the system source, once a millisecond) unless the wall clock stepped. Readings by concurrent
 * threads may reach their users in any order, as readings of any clock may, and a reading that
 * races another thread's re-anchoring may be out of order with it by as long as either thread was
 * held up between its reads; consumers that act at the latest time they have seen (as every {@code
 * LimitStore} does per key) are unaffected. The time source's wall clock must move with its ticker
 * between steps, as the system clock and {@link ManualTimeSource} do.
 */
public final class EpochClock {
  /** How far the wall clock may stray from the ticker before the clock follows it: 1 ms. */
  public static final long STEP_TOLERANCE_NANOS = 1_000_000;

  /** How often the system wall clock is compared with the ticker: every 1 ms of the ticker. */
  public static final long SYSTEM_CHECK_INTERVAL_NANOS = 1_000_000;

  private static final long TRUSTED_SAMPLE_NANOS = STEP_TOLERANCE_NANOS / 4;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final TimeSource time;
  private final AtomicReference<Anchor> anchor;
  private final long checkInterval;

  /**
   * The ticker reading from which the wall clock is next compared. Written by whichever reading
   * compares, without coordination: a lost update only makes one more comparison.
   */
  private volatile long nextCheck;

  /**
   * The wall clock minus the ticker, and the least reading allowed (the latest reading before the
   * last backward step).
   */
  private record Anchor(long offset, long floor) {}

  private EpochClock(TimeSource time) {
    this.time = Objects.requireNonNull(time, "time");
    long ticks = time.nanoTime();
    long wall = epochNanos(time.now());
    this.anchor = new AtomicReference<>(new Anchor(wall - ticks, Long.MIN_VALUE));
    this.checkInterval = time instanceof SystemTimeSource ? SYSTEM_CHECK_INTERVAL_NANOS : 0;
    this.nextCheck = ticks + checkInterval;
  }

  /**
   * A clock anchored to {@code time}'s wall clock now.
   *
   * @param time the time source to read
   * @return the clock
   */
  public static EpochClock of(TimeSource time) {
    return new EpochClock(time);
  }

  /**
   * Reads the clock.
   *
   * @return nanoseconds since 1970-01-01T00:00:00Z; never less than an earlier reading unless a
   *     concurrent reading re-anchored the clock meanwhile (see the class comment)
   */
  public long epochNanos() {
    Anchor current = anchor.get();
    long ticks = time.nanoTime();
    long followed = Nanos.saturatedAdd(ticks, current.offset);
    if (checkInterval > 0) {
      if (ticks - nextCheck < 0) {
        return Math.max(followed, current.floor);
      }
      nextCheck = ticks + checkInterval;
    }
    long wall = epochNanos(time.now());
    long drift = Nanos.saturatedAdd(wall, -followed);
    if (drift > STEP_TOLERANCE_NANOS || drift < -STEP_TOLERANCE_NANOS) {
      long confirmed = time.nanoTime();
      if (confirmed - ticks <= TRUSTED_SAMPLE_NANOS) {
        // the wall stepped: follow it; never below what the old anchor has handed out
        long latest = Math.max(current.floor, Nanos.saturatedAdd(confirmed, current.offset));
        Anchor next = new Anchor(wall - ticks, latest);
        if (anchor.compareAndSet(current, next)) {
          current = next;
        } else {
          current = anchor.get();
        }
        followed = Nanos.saturatedAdd(ticks, current.offset);
      }
    }
    return Math.max(followed, current.floor);
  }

  /**
   * The source this clock reads.
   *
   * @return the time source
   */
  public TimeSource timeSource() {
    return time;
  }

  /**
   * Converts an instant to nanoseconds since the Unix epoch, clamping instants beyond the range of
   * {@code long} (about the years 1678 to 2262).
   *
   * @param instant the instant
   * @return its nanoseconds since 1970-01-01T00:00:00Z
   */
  public static long epochNanos(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / NANOS_PER_SECOND) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / NANOS_PER_SECOND) {
      return Long.MIN_VALUE + 1;
    }
    return seconds * NANOS_PER_SECOND + instant.getNano();
  }

  @Override
  public String toString() {
    return "EpochClock[" + time + "]";
  }
}
