/**
 * Rate-limit configuration: TOML files and environment overrides read into a {@link
 * dev.sluice.ratelimit.config.RateLimitConfig}.
 */
@NullMarked
package dev.sluice.ratelimit.config;

import org.jspecify.annotations.NullMarked;
