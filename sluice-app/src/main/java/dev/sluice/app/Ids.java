package dev.sluice.app;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.Operator;
import dev.sluice.durable.store.ExecutionRecord;

/** Looks up the execution an id argument names. */
final class Ids {
  private Ids() {}

  static ExecutionId parse(String id) {
    if (id == null || id.isBlank()) {
      throw new UsageException("execution id must not be blank, was \"" + id + "\"");
    }
    return ExecutionId.of(id);
  }

  static ExecutionRecord find(Operator operator, String id) {
    return operator
        .find(parse(id))
        .orElseThrow(() -> new UsageException("no execution with id " + id));
  }
}
