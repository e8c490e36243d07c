package dev.sluice.throttle;

import dev.sluice.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * A rolling token budget: at most {@code tokens} tokens may be spent in any window of length {@code
 * window}, for APIs that meter by tokens (LLM providers, byte quotas) rather than by calls.
 *
 * <p>The throttle reserves a caller's estimate before dispatch and replaces it with the actual
 * count the caller reports afterwards, so concurrent callers never spend more than the budget plus
 * the difference between their estimates and their actual use.
 *
 * @param tokens how many tokens fit in one window; at least 1
 * @param window the length of the rolling window; positive
 */
public record TokenBudget(long tokens, Duration window) {
  /**
   * Validates the budget.
   *
   * @throws ConfigException if {@code tokens < 1} or {@code window} is not positive
   */
  public TokenBudget {
    Objects.requireNonNull(window, "throttle.token-budget.window");
    if (tokens < 1) {
      throw new ConfigException("throttle.token-budget.tokens must be >= 1, was " + tokens);
    }
    if (window.isZero() || window.isNegative()) {
      throw new ConfigException("throttle.token-budget.window must be > 0, was " + window);
    }
  }
}
