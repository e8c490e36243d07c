package dev.sluice.breaker;

import dev.sluice.ExecutionSuspended;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Unwrapping and classification of call outcomes. */
final class Outcomes {
  private Outcomes() {}

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Cancellation, interruption and a suspended execution say nothing about the service. */
  static boolean alwaysIgnored(Throwable failure) {
    return failure instanceof CancellationException
        || failure instanceof InterruptedException
        || failure instanceof ExecutionSuspended;
  }
}
