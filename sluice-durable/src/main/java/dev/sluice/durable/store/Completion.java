package dev.sluice.durable.store;

import java.util.Objects;

/**
 * One completion in a batch handed to {@link ExecutionStore#completeAll}.
 *
 * @param lease the lease held
 * @param resultJson the result as JSON; the text {@code null} for a null result
 * @param now the time of completion
 */
public record Completion(Lease lease, String resultJson, long now) {
  /** Validates the completion. */
  public Completion {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(resultJson, "resultJson (the text null stands for a null result)");
  }
}
