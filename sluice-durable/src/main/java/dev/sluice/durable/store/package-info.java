/**
 * Persistence of durable executions behind the {@link dev.sluice.durable.store.ExecutionStore} SPI,
 * with the embedded {@link dev.sluice.durable.store.SqliteExecutionStore}.
 */
package dev.sluice.durable.store;
