package dev.sluice;

/** A call that returns nothing and may throw, for {@link PolicyChain#run}. */
@FunctionalInterface
public interface CheckedRunnable {
  /**
   * Runs the call once.
   *
   * @throws Exception whatever the call throws
   */
  void run() throws Exception;
}
