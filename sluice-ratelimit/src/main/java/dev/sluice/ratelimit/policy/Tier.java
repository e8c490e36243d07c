package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A class of callers with its own default limits, such as {@code anonymous}, {@code standard} or
 * {@code premium}. Anonymous requests belong to the policy's anonymous tier; authenticated ones to
 * the tier their request names, or the policy's default tier.
 *
 * @param name the tier's name
 * @param limits the limits of this tier where a rule does not set its own; may be empty
 */
public record Tier(String name, List<Limit> limits) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /**
   * Validates the tier.
   *
   * @throws RateLimitConfigException if the name is malformed or limit ids repeat
   */
  public Tier {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new RateLimitConfigException(
          "tiers.name must be 1-64 letters, digits, '.', '_' or '-', was " + name);
    }
    limits = Limits.check("tiers[" + name + "].limits", limits);
  }
}
