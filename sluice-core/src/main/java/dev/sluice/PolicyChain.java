package dev.sluice;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Policies composed around a call, the first outermost; made by {@link Sluice#with}. Immutable and
 * safe to share: one chain serves any number of calls of any result type at once.
 *
 * <p>{@link #get} and {@link #run} apply Sluice's one rule for checked exceptions: the call's
 * unchecked failures and errors, and the policies' refusals ({@link
 * dev.sluice.breaker.CircuitOpenException}, {@link dev.sluice.throttle.ThrottleTimeoutException},
 * ...), are thrown as they are; a checked failure comes wrapped in a {@link CallFailedException}.
 * {@link #getAsync} completes with the call's own failure; cancelling its future stops a retry
 * policy's further attempts. A chain is itself a {@link Policy}, so it can be passed wherever one
 * policy is expected (a durable worker's, for example).
 */
public final class PolicyChain implements Policy {
  private final List<Policy> policies;

  PolicyChain(List<? extends Policy> policies) {
    for (int i = 0; i < policies.size(); i++) {
      Objects.requireNonNull(policies.get(i), "policy " + i);
    }
    this.policies = List.copyOf(policies);
  }

  /**
   * The policies, the outermost first.
   *
   * @return an unmodifiable list
   */
  public List<Policy> policies() {
    return policies;
  }

  /**
   * Runs {@code call} through every policy and returns its result.
   *
   * @param call the call
   * @param <T> its result type
   * @return what the call returned
   * @throws CallFailedException if the call's last failure is a checked exception (the cause)
   */
  public <T extends @Nullable Object> T get(Callable<T> call) {
    try {
      return call(call);
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallFailedException(e);
    } catch (Exception e) {
      throw new CallFailedException(e);
    }
  }

  /**
   * Runs {@code call} through every policy.
   *
   * @param call the call
   * @throws CallFailedException if the call's last failure is a checked exception (the cause)
   */
  public void run(CheckedRunnable call) {
    Objects.requireNonNull(call, "call");
    get(
        () -> {
          call.run();
          return null;
        });
  }

  /**
   * Runs an asynchronous call through every policy; {@code call} should only start the work.
   *
   * @param call starts the call
   * @param <T> its result type
   * @return a future of the call's result, failed with the call's own last failure or a policy's
   *     refusal
   */
  public <T extends @Nullable Object> CompletableFuture<T> getAsync(
      Supplier<? extends CompletionStage<T>> call) {
    return callAsync(call);
  }

  @Override
  public <T extends @Nullable Object> T call(Callable<T> call) throws Exception {
    Objects.requireNonNull(call, "call");
    return callFrom(0, call);
  }

  private <T extends @Nullable Object> T callFrom(int index, Callable<T> call) throws Exception {
    if (index == policies.size()) {
      return call.call();
    }
    return policies.get(index).call(() -> callFrom(index + 1, call));
  }

  @Override
  public <T extends @Nullable Object> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> call) {
    Objects.requireNonNull(call, "call");
    CompletableFuture<T> out = new CompletableFuture<>();
    CompletableFuture<T> inner = startFrom(0, call).toCompletableFuture();
    inner.whenComplete(
        (result, failure) -> {
          if (failure == null) {
            out.complete(result);
          } else {
            out.completeExceptionally(unwrap(failure));
          }
        });
    out.whenComplete(
        (result, failure) -> {
          if (out.isCancelled()) {
            inner.cancel(false); // a retry policy stops its further attempts
          }
        });
    return out;
  }

  private <T extends @Nullable Object> CompletionStage<T> startFrom(
      int index, Supplier<? extends CompletionStage<T>> call) {
    if (index == policies.size()) {
      try {
        return Objects.requireNonNull(call.get(), "the call returned a null stage");
      } catch (RuntimeException | Error e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return policies.get(index).callAsync(() -> startFrom(index + 1, call));
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public String toString() {
    return "PolicyChain" + policies;
  }
}
