package dev.sluice.throttle;

import dev.sluice.retry.ProviderQuota;
import dev.sluice.retry.ProviderQuotaHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns a response's rate-limit header fields into pacing: a pause for {@code Retry-After}, and a
 * spacing that spreads the remaining quota over the time to its reset, so the throttle slows down
 * before the first 429 instead of after it.
 *
 * <p>Spacing rule: with a known policy (quota {@code q} per window {@code w}) the spacing is {@code
 * w/q}, the server's sustained rate, and nothing remaining asks for no more than that spacing.
 * Without a policy, the spacing is {@code reset/remaining}, and nothing remaining pauses dispatch
 * until the reset. A spacing holds until the reset (at least one second, at least the policy's
 * window) or the next response that says otherwise. {@code Retry-After} holds dispatch until the
 * earliest instant it can mean (see {@link #earliest}).
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

  /**
   * Applies an effect to the pacer; with several quotas the most restrictive one wins.
   *
   * @return the spacing asked for, in nanoseconds, or -1 if the effect asks for none
   */
  static long apply(Effect effect, long nowNanos, DispatchPacer pacer) {
    effect.pause().ifPresent(p -> pacer.pauseUntil(nowNanos + earliest(p)));
    long spacing = -1;
    long until = nowNanos;
    for (QuotaSignal signal : effect.quotas()) {
      if (signal.unit() != ProviderQuota.Unit.REQUESTS) {
        continue; // token quotas pace the token part of acquire, see ServerTokenQuota
      }
      long reset = signal.resetAfter().map(Duration::toNanos).orElse(-1L);
      if (signal.remaining() == 0) {
        long policy = policySpacing(signal);
        if (reset > 0 && policy < 0) {
          pacer.pauseUntil(nowNanos + reset);
        }
        // with a stated policy the pace is already its spacing: a quota with no burst allowance
        // says r=0 after every call, and a pause from each such response would stall dispatch; a
        // server that really means its (whole-second, rounded up) reset says so in 429s
        if (policy > spacing) {
          spacing = policy;
          until = nowNanos + Math.max(MIN_HOLD_NANOS, signal.window().get().toNanos());
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
    return spacing;
  }

  /**
   * The earliest a {@code Retry-After} can mean: the field has whole-second resolution and servers
   * round the real wait up, so the wait lies within the last second before it. Dispatch is held
   * that long; the failed call itself is retried after the whole value by the retry policy.
   */
  static long earliest(Duration retryAfter) {
    return Math.max(0, retryAfter.toNanos() - 1_000_000_000L);
  }

  /** The sustained spacing a quota's policy states, or -1 without a policy. */
  private static long policySpacing(QuotaSignal signal) {
    if (signal.quota().isPresent()
        && signal.window().isPresent()
        && signal.quota().getAsLong() > 0) {
      return signal.window().get().toNanos() / signal.quota().getAsLong();
    }
    return -1;
  }

  /** The spacing a quota asks for and how long it holds, in nanoseconds. */
  private static long[] pace(QuotaSignal signal, long reset) {
    long hold = Math.max(MIN_HOLD_NANOS, reset);
    long policy = policySpacing(signal);
    if (policy >= 0) {
      // the policy states the sustained rate; the remaining count and the reset do not say whether
      // the quota refills continuously or at the reset, so they never slow the pace below it
      return new long[] {policy, Math.max(hold, signal.window().get().toNanos())};
    }
    return new long[] {reset > 0 ? reset / signal.remaining() : 0, hold};
  }

  /** The field's lines joined with ", ", looked up ignoring case; {@code null} if absent. */
  static @Nullable String field(Map<String, List<String>> headers, String name) {
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
