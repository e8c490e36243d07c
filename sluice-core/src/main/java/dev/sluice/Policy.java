package dev.sluice;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One flow-control policy: a {@link dev.sluice.retry.RetryPolicy}, a {@link
 * dev.sluice.breaker.CircuitBreaker} or a {@link dev.sluice.throttle.Throttle}. Compose several
 * with {@link Sluice#with}; each also runs a call on its own.
 *
 * <p>The contract every policy keeps, which is what lets them nest in any order: it runs {@code
 * call} zero or more times on the calling thread (the asynchronous form: starts it), records the
 * outcome in its own terms, and hands back the call's result or rethrows its last failure
 * <em>unchanged</em>, checked or not; its own refusals are {@link SluiceException}s. An {@link
 * ExecutionSuspended} is never an outcome: it passes through at once and is recorded as nothing.
 */
public interface Policy {

  /**
   * Runs {@code call} under this policy.
   *
   * @param call the call
   * @param <T> its result type
   * @return what the call returned
   * @throws Exception the call's last failure, unchanged, or the policy's own refusal
   */
  <T extends @Nullable Object> T call(Callable<T> call) throws Exception;

  /**
   * Runs an asynchronous call under this policy; {@code call} should only start the work. The
   * returned future fails with the call's own failure (never a {@link
   * java.util.concurrent.CompletionException} around it) or with the policy's refusal.
   *
   * @param call starts the call
   * @param <T> its result type
   * @return a future of the call's result
   */
  <T extends @Nullable Object> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> call);
}
