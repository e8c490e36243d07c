package dev.sluice.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One quota policy announced by a server in a {@code RateLimit-Policy} field, for example {@code
 * "burst";q=100;w=60}.
 *
 * @param name the policy's name ({@code burst})
 * @param quota the quota ({@code q}), not negative
 * @param window the window ({@code w}) if given
 * @param quotaUnit the unit of the quota ({@code qu}), {@code requests} unless given
 * @param partitionKey the partition key ({@code pk}) as base64 text, if given
 */
public record RateLimitPolicy(
    String name,
    long quota,
    Optional<Duration> window,
    String quotaUnit,
    Optional<String> partitionKey) {
  /** Checks the values are present. */
  public RateLimitPolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(quotaUnit, "quotaUnit");
    Objects.requireNonNull(partitionKey, "partitionKey");
  }
}
