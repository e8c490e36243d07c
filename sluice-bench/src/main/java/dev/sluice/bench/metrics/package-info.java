/** A JMH benchmark of the Micrometer binders' overhead. */
@NullMarked
package dev.sluice.bench.metrics;

import org.jspecify.annotations.NullMarked;
