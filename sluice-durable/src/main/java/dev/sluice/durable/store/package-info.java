/**
 * Persistence of durable executions behind the {@link dev.sluice.durable.store.ExecutionStore} SPI,
 * with the embedded {@link dev.sluice.durable.store.SqliteExecutionStore}.
 */
@NullMarked
package dev.sluice.durable.store;

import org.jspecify.annotations.NullMarked;
