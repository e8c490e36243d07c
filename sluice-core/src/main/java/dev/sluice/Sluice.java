package dev.sluice;

import java.util.Arrays;
import java.util.List;

/**
 * The entry point that composes policies around a call.
 *
 * <pre>{@code
 * PolicyChain chain = Sluice.with(retry, breaker, throttle);
 * Stock stock = chain.get(() -> inventory.stock(sku));
 * CompletableFuture<Stock> later = chain.getAsync(() -> inventory.stockAsync(sku));
 * }</pre>
 *
 * <p>The first policy is the outermost: in the order above, which is the one to use unless there is
 * a reason not to, each retry attempt asks the breaker (an open breaker fails it at once, without
 * waiting for the throttle), and only an admitted attempt takes a throttle permit, held while the
 * call is in flight and never across a retry's back-off.
 */
public final class Sluice {
  private Sluice() {}

  /**
   * Composes {@code policies}, the first outermost.
   *
   * @param policies the policies; none gives a chain that runs calls as they are
   * @return the chain
   * @throws NullPointerException if a policy is {@code null}
   */
  public static PolicyChain with(Policy... policies) {
    return new PolicyChain(Arrays.asList(policies));
  }

  /**
   * Composes {@code policies}, the first outermost.
   *
   * @param policies the policies
   * @return the chain
   * @throws NullPointerException if a policy is {@code null}
   */
  public static PolicyChain with(List<? extends Policy> policies) {
    return new PolicyChain(policies);
  }
}
