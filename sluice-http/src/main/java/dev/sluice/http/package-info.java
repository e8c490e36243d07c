/**
 * The HTTP rate-limit layer: client identity, verified tokens, standard headers and problem+json
 * bodies over one container-neutral decision path, {@link dev.sluice.http.HttpRateLimiter}.
 */
@NullMarked
package dev.sluice.http;

import org.jspecify.annotations.NullMarked;
