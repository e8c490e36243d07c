/**
 * Test support: real Redis, PostgreSQL and rate-limited HTTP servers, and JUnit extensions for them
 * and for manual time.
 */
@NullMarked
package dev.sluice.testkit;

import org.jspecify.annotations.NullMarked;
