package dev.sluice.durable;

import dev.sluice.time.TimeSource;
import java.util.Objects;
import java.util.UUID;

/**
 * The identity of one execution of a task: the handle a caller keeps after {@link Durable#dispatch}
 * to wait for, query, signal or cancel it.
 *
 * <p>Root executions get a time-ordered random UUID (version 7, {@link #timeOrdered}). A child
 * started by {@link TaskContext#call} gets a deterministic id, its parent's id plus the step
 * sequence ({@code <parent>.<seq>}), so a parent that is run again after a crash finds the same
 * child instead of starting a second one.
 *
 * @param value the id as stored; never blank
 */
public record ExecutionId(String value) {

  /**
   * Validates the id.
   *
   * @throws IllegalArgumentException if {@code value} is blank
   */
  public ExecutionId {
    Objects.requireNonNull(value, "execution id");
    if (value.isBlank()) {
      throw new IllegalArgumentException("execution id must not be blank, was \"" + value + "\"");
    }
  }

  /**
   * Wraps an id read from elsewhere (a log line, a command line).
   *
   * @param value the id
   * @return the execution id
   * @throws IllegalArgumentException if {@code value} is blank
   */
  public static ExecutionId of(String value) {
    return new ExecutionId(value);
  }

  /**
   * Creates a fresh id for a root execution: a version 7 UUID (RFC 9562), whose leading 48 bits are
   * the Unix time in milliseconds read from {@code time}'s wall clock and the other 74 bits random.
   * Ids made later sort after earlier ones (as text too), so a store's primary-key index grows at
   * its end instead of at random pages.
   *
   * @param time the time source whose wall clock stamps the id
   * @return a new id
   */
  public static ExecutionId timeOrdered(TimeSource time) {
    UUID random = UUID.randomUUID();
    long millis = time.now().toEpochMilli() & 0xFFFF_FFFF_FFFFL;
    long high = (millis << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0FFFL);
    return new ExecutionId(new UUID(high, random.getLeastSignificantBits()).toString());
  }

  /**
   * The id of the child that step {@code sequence} of this execution starts.
   *
   * @param sequence the parent's step sequence number
   * @return the deterministic child id
   */
  public ExecutionId child(int sequence) {
    return new ExecutionId(value + "." + sequence);
  }

  @Override
  public String toString() {
    return value;
  }
}
