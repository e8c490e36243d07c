/**
 * The throttle's HTTP benchmark: clients of several kinds against a rate-limited server, traced and
 * compared.
 */
@NullMarked
package dev.sluice.bench.throttle.http;

import org.jspecify.annotations.NullMarked;
