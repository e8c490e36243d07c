/**
 * An adaptive client-side throttle for callers of rate-limited APIs.
 *
 * <p>{@link dev.sluice.throttle.Throttle} bounds concurrency, spaces dispatches, keeps an optional
 * token budget, follows {@code Retry-After} and rate-limit headers, and adapts its rate and
 * concurrency to failures; {@link dev.sluice.throttle.ThrottleConfig} holds its settings, {@link
 * dev.sluice.throttle.Permit} is one call's right to run, {@link
 * dev.sluice.throttle.ThrottleSnapshot} and {@link dev.sluice.event.PolicyListener} report what it
 * does. The pieces behind it are package-private, each one small object with one job: the adaptive
 * rules ({@code RateController}, fed by {@code CallMeter}), the resizable semaphore ({@code
 * ConcurrencyGate}), the slot pacing ({@code DispatchPacer}), the token window ({@code
 * TokenWindow}), progress ({@code ProgressTracker}) and the header dialects ({@code
 * ServerSignals}).
 */
@NullMarked
package dev.sluice.throttle;

import org.jspecify.annotations.NullMarked;
