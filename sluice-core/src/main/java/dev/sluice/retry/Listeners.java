package dev.sluice.retry;

import dev.sluice.event.PolicyListener;
import dev.sluice.event.RetryAttempted;
import java.util.List;

/** Tells every listener about an attempt; a listener that throws is logged and skipped. */
final class Listeners {
  private static final System.Logger LOG = System.getLogger(RetryPolicy.class.getName());

  private Listeners() {}

  static void report(List<PolicyListener> listeners, RetryAttempted event) {
    for (PolicyListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "retry listener " + listener + " threw", e);
      }
    }
  }
}
