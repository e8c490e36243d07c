package dev.sluice.retry;

import dev.sluice.ConfigException;
import java.util.Objects;

/**
 * How a {@link Backoff} spreads its delays so that many clients failing together do not retry in
 * lock step. Plain data: it can be stored (for example as JSON) and rebuilt elsewhere.
 *
 * <ul>
 *   <li>{@link Kind#NONE}: the computed delay as is.
 *   <li>{@link Kind#FULL}: uniform in {@code [0, delay)} ("full jitter").
 *   <li>{@link Kind#DECORRELATED}: uniform in {@code [initial, 3 * previous)}, capped by the
 *       backoff's maximum ("decorrelated jitter"); only for {@link Backoff.Exponential}.
 *   <li>{@link Kind#FACTOR}: {@code delay * (1 + (1 - 2r) * factor)} for {@code r} uniform in
 *       {@code [0, 1)}, i.e. plus or minus {@code factor} of the delay.
 * </ul>
 *
 * @param kind the jitter rule
 * @param factor for {@link Kind#FACTOR}, the fraction in {@code [0, 1]}; {@code 0} for the others
 */
public record Jitter(Kind kind, double factor) {
  /** No jitter. */
  public static final Jitter NONE = new Jitter(Kind.NONE, 0);

  /** Full jitter: uniform in {@code [0, delay)}. */
  public static final Jitter FULL = new Jitter(Kind.FULL, 0);

  /** Decorrelated jitter: uniform in {@code [initial, 3 * previous)}, capped. */
  public static final Jitter DECORRELATED = new Jitter(Kind.DECORRELATED, 0);

  /** The jitter rules. */
  public enum Kind {
    /** No jitter. */
    NONE,
    /** Uniform in {@code [0, delay)}. */
    FULL,
    /** Uniform in {@code [initial, 3 * previous)}, capped by the maximum delay. */
    DECORRELATED,
    /** Plus or minus a fraction of the delay. */
    FACTOR
  }

  /**
   * Validates the jitter.
   *
   * @throws ConfigException if the factor is outside {@code [0, 1]} for {@link Kind#FACTOR} or not
   *     zero for the other kinds
   */
  public Jitter {
    Objects.requireNonNull(kind, "retry.jitter.kind");
    if (kind == Kind.FACTOR) {
      if (!(factor >= 0 && factor <= 1)) {
        throw new ConfigException("retry.jitter.factor must be within [0, 1], was " + factor);
      }
    } else if (factor != 0) {
      throw new ConfigException(
          "retry.jitter.factor must be 0 for jitter " + kind + ", was " + factor);
    }
  }

  /**
   * Plus or minus {@code factor} of the delay.
   *
   * @param factor the fraction, within {@code [0, 1]}
   * @return the jitter
   * @throws ConfigException if the factor is outside {@code [0, 1]}
   */
  public static Jitter factor(double factor) {
    return new Jitter(Kind.FACTOR, factor);
  }
}
