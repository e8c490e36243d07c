package dev.sluice.metrics;

import dev.sluice.http.DecisionEvent;
import dev.sluice.http.DecisionListener;
import java.util.List;

/** Combines decision listeners, since an {@code HttpRateLimiter} takes one. */
public final class DecisionListeners {
  private DecisionListeners() {}

  /**
   * A listener that tells each of {@code listeners}, in order. One that throws does not stop the
   * others; the first exception is thrown after all were told.
   *
   * @param listeners the listeners, such as a {@link RateLimitMetrics} and a {@link DecisionLog}
   * @return the combined listener
   */
  public static DecisionListener all(DecisionListener... listeners) {
    List<DecisionListener> each = List.of(listeners);
    return event -> tellAll(each, event);
  }

  private static void tellAll(List<DecisionListener> each, DecisionEvent event) {
    RuntimeException first = null;
    for (DecisionListener listener : each) {
      try {
        listener.onDecision(event);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
