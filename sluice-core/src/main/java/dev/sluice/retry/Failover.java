package dev.sluice.retry;

import dev.sluice.PolicyChain;
import dev.sluice.Sluice;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Tries alternatives in order (mirrors, resolvers), each under its own retry policy, and returns
 * the first success: the {@link OperationProfile.Strategy#FAILOVER} strategy.
 *
 * <pre>{@code
 * URI location = Failover.firstSuccess(
 *     List.of(() -> primary.resolve(id), () -> mirror.resolve(id)),
 *     profiles.get(OperationType.RESOLVE).policy());
 * }</pre>
 */
public final class Failover {
  private Failover() {}

  /**
   * Runs each alternative with {@code perAlternative} until one succeeds.
   *
   * @param alternatives the alternatives, in order of preference; at least one
   * @param perAlternative the retry policy for each alternative
   * @param <T> the result type
   * @return the first success
   * @throws RuntimeException the last alternative's failure, unchecked as it is, a checked one in a
   *     {@link dev.sluice.CallFailedException} (as {@link dev.sluice.PolicyChain#get} throws it),
   *     with the earlier failures added as suppressed
   * @throws IllegalArgumentException if there are no alternatives
   */
  public static <T extends @Nullable Object> T firstSuccess(
      List<? extends Callable<T>> alternatives, RetryPolicy perAlternative) {
    Objects.requireNonNull(perAlternative, "perAlternative");
    if (alternatives.isEmpty()) {
      throw new IllegalArgumentException("retry.failover alternatives must not be empty");
    }
    PolicyChain chain = Sluice.with(perAlternative);
    RuntimeException previous = null;
    for (Callable<T> alternative : alternatives) {
      try {
        return chain.get(alternative);
      } catch (RuntimeException failure) {
        if (previous != null && previous != failure) {
          failure.addSuppressed(previous);
        }
        previous = failure;
      }
    }
    throw previous;
  }
}
