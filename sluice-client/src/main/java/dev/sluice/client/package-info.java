/**
 * The gentle HTTP client: {@link dev.sluice.client.GentleHttpClient}, a {@code java.net.http}
 * client that paces itself through a throttle, stops at an open breaker and retries within a
 * policy, reading every response's rate-limit headers and {@code Retry-After}.
 */
@NullMarked
package dev.sluice.client;

import org.jspecify.annotations.NullMarked;
