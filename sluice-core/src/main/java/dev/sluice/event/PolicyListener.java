package dev.sluice.event;

/**
 * Hears a policy's events: a breaker's ({@code CircuitBreaker.builder().listener(...)}), a retry
 * policy's ({@code RetryPolicy.builder().listener(...)}) or a throttle's ({@code
 * throttle.addListener(...)}). It runs on the thread that caused the event, after the policy's own
 * locks are released (a throttle's state changes excepted, which are told in order under a lock of
 * their own); keep it short and do not block. An exception it throws is logged and otherwise
 * ignored: a listener never changes what a policy decides.
 */
@FunctionalInterface
public interface PolicyListener {

  /**
   * Receives one event.
   *
   * @param event what happened
   */
  void onEvent(PolicyEvent event);
}
