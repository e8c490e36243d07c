package dev.sluice.throttle;

import dev.sluice.retry.ProviderQuota;
import dev.sluice.retry.ProviderQuota.ResetMeaning;
import dev.sluice.retry.ProviderQuota.Unit;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a server said about its quota in one response, whatever header dialect it used.
 *
 * @param remaining units left in the current quota
 * @param resetAfter time until the quota is restored, if said
 * @param quota the size of the quota, if said
 * @param window the window the quota applies to, if said
 * @param unit what the quota counts; only requests pace dispatch, tokens pace the token part
 * @param resetMeaning whether the quota refills up to the reset or is restored whole at it
 */
record QuotaSignal(
    long remaining,
    Optional<Duration> resetAfter,
    OptionalLong quota,
    Optional<Duration> window,
    Unit unit,
    ResetMeaning resetMeaning) {

  /** A request quota restored whole when its window ends (the IETF reading). */
  QuotaSignal(
      long remaining,
      Optional<Duration> resetAfter,
      OptionalLong quota,
      Optional<Duration> window) {
    this(remaining, resetAfter, quota, window, Unit.REQUESTS, ResetMeaning.WINDOW_ENDS);
  }

  static QuotaSignal of(ProviderQuota quota) {
    return new QuotaSignal(
        quota.remaining(),
        quota.resetAfter(),
        quota.limit(),
        quota.window(),
        quota.unit(),
        quota.resetMeaning());
  }
}
