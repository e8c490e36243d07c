package dev.sluice.http;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts token failures by reason and logs the first of each reason only. */
final class TokenFailures {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);
  private static final TokenFailure[] REASONS = TokenFailure.values();

  private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

  TokenResult record(TokenFailure failure) {
    if (counts.getAndIncrement(failure.ordinal()) == 0) {
      LOG.warn(
          "bearer token refused: {} (further refusals for this reason are counted, not logged)",
          failure);
    }
    return TokenResult.failed(failure);
  }

  Map<TokenFailure, Long> counts() {
    Map<TokenFailure, Long> out = new EnumMap<>(TokenFailure.class);
    for (TokenFailure reason : REASONS) {
      long n = counts.get(reason.ordinal());
      if (n > 0) {
        out.put(reason, n);
      }
    }
    return out;
  }
}
