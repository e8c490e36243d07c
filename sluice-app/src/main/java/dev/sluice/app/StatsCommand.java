package dev.sluice.app;

import dev.sluice.durable.ExecutionState;
import dev.sluice.durable.Operator;
import dev.sluice.durable.store.OperatorStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice durable stats}: counts by state and dead letters, counted by the database. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Counts executions by state, and dead letters.")
final class StatsCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Output output = new Output(spec.commandLine().getOut(), store.json);
    try (OperatorStore opened = store.open()) {
      Operator operator = store.operator(opened);
      Map<ExecutionState, Long> counts = operator.counts();
      long deadLetters = operator.deadLetterCount();
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      if (output.isJson()) {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Long> byState = new LinkedHashMap<>();
        counts.forEach((state, count) -> byState.put(state.storedName(), count));
        json.put("states", byState);
        json.put("total", total);
        json.put("deadLetters", deadLetters);
        output.json(json);
      } else {
        List<List<String>> rows = new ArrayList<>();
        counts.forEach((state, count) -> rows.add(List.of(state.storedName(), count.toString())));
        rows.add(List.of("total", Long.toString(total)));
        rows.add(List.of("dead letters", Long.toString(deadLetters)));
        output.table(List.of("STATE", "COUNT"), rows);
      }
    }
    return ExitCodes.OK;
  }
}
