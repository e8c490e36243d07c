/** Benchmarks of the adaptive throttle: acquire and release cost, and the throttle simulation. */
@NullMarked
package dev.sluice.bench.throttle;

import org.jspecify.annotations.NullMarked;
