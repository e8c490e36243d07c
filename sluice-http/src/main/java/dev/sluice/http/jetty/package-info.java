/** The HTTP rate-limit layer as a Jetty 12 handler. */
@NullMarked
package dev.sluice.http.jetty;

import org.jspecify.annotations.NullMarked;
