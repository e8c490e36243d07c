/** JMH benchmarks of the HTTP rate-limit layer's cost per request. */
@NullMarked
package dev.sluice.bench.http;

import org.jspecify.annotations.NullMarked;
