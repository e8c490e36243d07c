/**
 * Retry: backoff as data, a pure retry decision, blocking and asynchronous execution, the server's
 * Retry-After and IETF RateLimit fields, and rate learning.
 *
 * <p>Start with {@link dev.sluice.retry.RetryPolicy}. Its storable part, {@link
 * dev.sluice.retry.RetrySchedule} with a {@link dev.sluice.retry.Backoff}, is plain records so a
 * durable task can keep it as JSON; {@link dev.sluice.retry.RetryPolicy#decide} answers "retry
 * after how long, or give up, and why" without running or waiting for anything.
 */
@NullMarked
package dev.sluice.retry;

import org.jspecify.annotations.NullMarked;
