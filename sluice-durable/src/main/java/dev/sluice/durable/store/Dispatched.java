package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;

/**
 * What a dispatch did.
 *
 * @param id the execution's id: the new one, or the existing one an idempotency key (or a child's
 *     deterministic id) pointed to
 * @param created {@code true} if a row was inserted, {@code false} if an existing one was found
 */
public record Dispatched(ExecutionId id, boolean created) {}
