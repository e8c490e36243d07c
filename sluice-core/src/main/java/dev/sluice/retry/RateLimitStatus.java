package dev.sluice.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one quota announced by a server in a {@code RateLimit} field, for example {@code
 * "burst";r=50;t=30}.
 *
 * @param name the policy's name ({@code burst})
 * @param remaining the remaining quota ({@code r}), not negative
 * @param reset the time until the quota is restored ({@code t}), if given
 * @param partitionKey the partition key ({@code pk}) as base64 text, if given
 */
public record RateLimitStatus(
    String name, long remaining, Optional<Duration> reset, Optional<String> partitionKey) {
  /** Checks the values are present. */
  public RateLimitStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reset, "reset");
    Objects.requireNonNull(partitionKey, "partitionKey");
  }

  /**
   * Whether this quota is used up.
   *
   * @return {@code true} when nothing remains
   */
  public boolean exhausted() {
    return remaining == 0;
  }
}
