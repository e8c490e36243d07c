package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionState;
import org.jspecify.annotations.Nullable;

/**
 * Which executions {@link ExecutionStore#list} returns, one page at a time, newest first.
 *
 * @param state only this state, or {@code null} for all
 * @param queue only this queue, or {@code null} for all
 * @param task only this task, or {@code null} for all
 * @param limit page size, at least 1
 * @param offset rows to skip, at least 0
 */
public record ExecutionFilter(
    @Nullable ExecutionState state,
    @Nullable String queue,
    @Nullable String task,
    int limit,
    int offset) {

  /** Validates the paging. */
  public ExecutionFilter {
    if (limit < 1) {
      throw new IllegalArgumentException("list limit must be >= 1, was " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("list offset must be >= 0, was " + offset);
    }
  }

  /**
   * Every execution, first page.
   *
   * @param limit page size
   * @return the filter
   */
  public static ExecutionFilter all(int limit) {
    return new ExecutionFilter(null, null, null, limit, 0);
  }
}
