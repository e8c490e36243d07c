package dev.sluice.throttle;

import dev.sluice.retry.ProviderQuota;
import dev.sluice.retry.ProviderQuotaHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a response's rate-limit header fields into pacing: a pause for {@code Retry-After}, and a
 * spacing that spreads the remaining quota over the time to its reset, so the throttle slows down
 * before the first 429 instead of after it.
 *
 * <p>Spacing rule: with a known policy (quota {@code q} per window {@code w}) the spacing is {@code
 * w/q}, the server's sustained rate; when less than half of the quota remains, the spacing is at
 * least {@code reset/remaining}, so the rest lasts until the reset. Without a policy, the spacing
 * is {@code reset/remaining}. Nothing remaining pauses dispatch until the reset. A spacing holds
 * until the reset (at least one second) or the next response that says otherwise.
 *
 * <p>Every dialect is read, IETF first, then the provider dialects of {@link ProviderQuotaHeaders}
 * (OpenAI, Anthropic, GitHub and legacy {@code X-RateLimit-*}); only request quotas pace dispatch
 * here, token quotas go to {@link ServerTokenQuota}.
 */
final class ServerSignals {
  private static final long MIN_HOLD_NANOS = 1_000_000_000L;

  private ServerSignals() {}

  /** What a response asked of the throttle. */
  record Effect(Optional<Duration> pause, List<QuotaSignal> quotas) {
    static final Effect NONE = new Effect(Optional.empty(), List.of());
  }

  /** Reads the fields; never throws on malformed values. */
  static Effect read(Map<String, List<String>> headers, Instant now) {
    if (headers == null || headers.isEmpty()) {
      return Effect.NONE;
    }
    Optional<Duration> pause = HeaderDialects.retryAfter(headers, now);
    List<QuotaSignal> quotas = new ArrayList<>(HeaderDialects.ietf(headers));
    for (ProviderQuota quota : ProviderQuotaHeaders.parse(headers, now)) {
      quotas.add(QuotaSignal.of(quota));
    }
    return new Effect(pause, List.copyOf(quotas));
  }

  /** Applies an effect to the pacer; with several quotas the most restrictive one wins. */
  static void apply(Effect effect, long nowNanos, DispatchPacer pacer) {
    effect.pause().ifPresent(p -> pacer.pauseUntil(nowNanos + p.toNanos()));
    long spacing = -1;
    long until = nowNanos;
    for (QuotaSignal signal : effect.quotas()) {
      if (signal.unit() != ProviderQuota.Unit.REQUESTS) {
        continue; // token quotas pace the token part of acquire, see ServerTokenQuota
      }
      long reset = signal.resetAfter().map(Duration::toNanos).orElse(-1L);
      if (signal.remaining() == 0) {
        if (reset > 0) {
          pacer.pauseUntil(nowNanos + reset);
        }
        continue;
      }
      long[] paced = pace(signal, reset);
      if (paced[0] > spacing) {
        spacing = paced[0];
        until = nowNanos + paced[1];
      }
    }
    if (spacing >= 0) {
      pacer.setServerSpacing(spacing, until);
    }
  }

  /** The spacing a quota asks for and how long it holds, in nanoseconds. */
  private static long[] pace(QuotaSignal signal, long reset) {
    long spreadSpacing = reset > 0 ? reset / signal.remaining() : -1;
    long spacing;
    long hold = Math.max(MIN_HOLD_NANOS, reset);
    if (signal.quota().isPresent()
        && signal.window().isPresent()
        && signal.quota().getAsLong() > 0) {
      long quota = signal.quota().getAsLong();
      long window = signal.window().get().toNanos();
      long policySpacing = window / quota;
      if (spreadSpacing < 0) {
        spacing = policySpacing;
      } else if (signal.remaining() * 2 >= quota) {
        spacing = policySpacing;
      } else {
        spacing = Math.max(policySpacing, spreadSpacing);
      }
      hold = Math.max(hold, window);
    } else {
      spacing = Math.max(0, spreadSpacing);
    }
    return new long[] {spacing, hold};
  }

  /** The field's lines joined with ", ", looked up ignoring case; {@code null} if absent. */
  static String field(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
      if (entry.getKey() != null
          && entry.getKey().equalsIgnoreCase(name)
          && entry.getValue() != null
          && !entry.getValue().isEmpty()) {
        return String.join(", ", entry.getValue());
      }
    }
    return null;
  }
}
