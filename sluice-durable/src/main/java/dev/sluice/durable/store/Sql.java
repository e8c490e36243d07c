package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionState;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The names both stores' SQL shares: one table naming ({@code sluice_*} in every database) and the
 * state literals, written from {@link ExecutionState} so a state is named in one place.
 */
final class Sql {
  private Sql() {}

  static final String EXECUTIONS = "sluice_executions";
  static final String STEPS = "sluice_steps";
  static final String SIGNALS = "sluice_signals";
  static final String DEAD_LETTERS = "sluice_dead_letters";
  static final String TASK_LIMITS = "sluice_task_limits";

  static final String PENDING = literal(ExecutionState.PENDING);
  static final String RUNNING = literal(ExecutionState.RUNNING);
  static final String COMPLETED = literal(ExecutionState.COMPLETED);
  static final String FAILED = literal(ExecutionState.FAILED);
  static final String CANCELLED = literal(ExecutionState.CANCELLED);
  static final String EXPIRED = literal(ExecutionState.EXPIRED);

  /** The states an execution can still leave. */
  static final String LIVE = list(EnumSet.of(ExecutionState.PENDING, ExecutionState.RUNNING));

  /** The states no fenced write leaves. */
  static final String TERMINAL =
      list(
          Arrays.stream(ExecutionState.values())
              .filter(ExecutionState::isTerminal)
              .collect(Collectors.toCollection(() -> EnumSet.noneOf(ExecutionState.class))));

  /** The ended states a purge deletes; FAILED stays while its dead letter does. */
  static final String PURGEABLE =
      list(EnumSet.of(ExecutionState.COMPLETED, ExecutionState.CANCELLED, ExecutionState.EXPIRED));

  static final String CLEAR_LEASE = "worker_id = NULL, lease_expires_at = NULL";

  /** The fence of every write under a lease; binds the execution id, then the fence. */
  static final String FENCED = " id = ? AND fence = ? AND state = " + RUNNING;

  /** A state as a quoted SQL literal. */
  static String literal(ExecutionState state) {
    return "'" + state.storedName() + "'";
  }

  /** States as a parenthesized list of literals, for {@code IN}. */
  static String list(Set<ExecutionState> states) {
    return states.stream().map(Sql::literal).collect(Collectors.joining(", ", "(", ")"));
  }
}
