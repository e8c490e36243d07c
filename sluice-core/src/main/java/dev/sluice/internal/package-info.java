/** Helpers shared by the core packages; not an API. */
@NullMarked
package dev.sluice.internal;

import org.jspecify.annotations.NullMarked;
