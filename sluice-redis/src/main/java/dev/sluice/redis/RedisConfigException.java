package dev.sluice.redis;

import dev.sluice.ConfigException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A Redis store setting broke a rule. The message names the setting, the rule and the value, for
 * example {@code redis.max-attempts must be 1-10, was 0}.
 */
public final class RedisConfigException extends ConfigException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the setting, the rule and the offending value
   */
  public RedisConfigException(String message) {
    super(message);
  }

  /** Throws unless {@code value} is more than zero: {@code redis.NAME must be > 0, was VALUE}. */
  static void requirePositive(String name, @Nullable Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new RedisConfigException("redis." + name + " must be > 0, was " + value);
    }
  }
}
