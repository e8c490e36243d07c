/** The algorithms' state transitions and the evaluator shared by the stores; not an API. */
@NullMarked
package dev.sluice.ratelimit.internal;

import org.jspecify.annotations.NullMarked;
