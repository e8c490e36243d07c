package dev.sluice.throttle;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a server said about its quota in one response, whatever header dialect it used.
 *
 * @param remaining calls left in the current quota
 * @param resetAfter time until the quota is restored, if said
 * @param quota the size of the quota, if said
 * @param window the window the quota applies to, if said
 */
record QuotaSignal(
    long remaining, Optional<Duration> resetAfter, OptionalLong quota, Optional<Duration> window) {}
