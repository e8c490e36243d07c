package dev.sluice.throttle;

import dev.sluice.time.TimeSource;
import org.jspecify.annotations.Nullable;

/** What both ways of acquiring a {@link Throttle} permit take their steps from. */
abstract class Acquisition {
  static final long NO_TIMEOUT = Long.MAX_VALUE;

  final Throttle throttle;
  final TimeSource time;
  final ConcurrencyGate gate;
  final DispatchPacer pacer;
  final @Nullable TokenWindow tokens;
  final ServerTokenQuota serverTokens;
  final ThrottleAdaptation adaptation;

  Acquisition(
      Throttle throttle,
      TimeSource time,
      ConcurrencyGate gate,
      DispatchPacer pacer,
      @Nullable TokenWindow tokens,
      ServerTokenQuota serverTokens,
      ThrottleAdaptation adaptation) {
    this.throttle = throttle;
    this.time = time;
    this.gate = gate;
    this.pacer = pacer;
    this.tokens = tokens;
    this.serverTokens = serverTokens;
    this.adaptation = adaptation;
  }
}
