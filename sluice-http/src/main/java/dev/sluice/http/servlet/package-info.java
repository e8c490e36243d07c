/** The HTTP rate-limit layer as a servlet filter. */
@NullMarked
package dev.sluice.http.servlet;

import org.jspecify.annotations.NullMarked;
