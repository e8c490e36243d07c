package dev.sluice.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Bridges to the shared header parsers of {@code dev.sluice.retry}. */
final class HeaderDialects {
  private HeaderDialects() {}

  static Optional<Duration> retryAfter(Map<String, List<String>> headers, Instant now) {
    return Optional.empty();
  }

  static Optional<QuotaSignal> ietf(Map<String, List<String>> headers) {
    return Optional.empty();
  }
}
