/**
 * The {@code sluice} command: inspects and operates durable executions on SQLite or PostgreSQL, and
 * runs the gateway and the demo.
 */
@NullMarked
package dev.sluice.app;

import org.jspecify.annotations.NullMarked;
