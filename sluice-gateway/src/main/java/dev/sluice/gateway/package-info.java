/**
 * The gateway: a Jetty reverse proxy applying the HTTP rate-limit layer to every request, with its
 * configuration, reloads and admin listener.
 */
@NullMarked
package dev.sluice.gateway;

import org.jspecify.annotations.NullMarked;
