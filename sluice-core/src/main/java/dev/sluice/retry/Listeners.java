package dev.sluice.retry;

import java.util.List;
import java.util.function.BiConsumer;

/** Tells every listener about an event; a listener that throws is logged and skipped. */
final class Listeners {
  private static final System.Logger LOG = System.getLogger(RetryPolicy.class.getName());

  private Listeners() {}

  static void notify(
      List<RetryListener> listeners, RetryEvent event, BiConsumer<RetryListener, RetryEvent> call) {
    for (RetryListener listener : listeners) {
      try {
        call.accept(listener, event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "retry listener " + listener + " threw", e);
      }
    }
  }

  static void report(List<RetryListener> listeners, RetryEvent event) {
    if (listeners.isEmpty()) {
      return;
    }
    RetryDecision decision = event.decision();
    if (decision instanceof RetryDecision.Retry) {
      notify(listeners, event, RetryListener::onRetry);
    } else if (decision instanceof RetryDecision.GiveUp) {
      notify(listeners, event, RetryListener::onGiveUp);
    } else {
      notify(listeners, event, RetryListener::onSuccess);
    }
  }
}
