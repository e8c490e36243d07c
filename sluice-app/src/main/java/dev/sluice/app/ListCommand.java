package dev.sluice.app;

import dev.sluice.durable.ExecutionState;
import dev.sluice.durable.Operator;
import dev.sluice.durable.store.ExecutionFilter;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.OperatorStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice durable list}: one page of executions, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists executions, newest first, one page at a time.")
final class ListCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--state",
      description = "Only this state: ${COMPLETION-CANDIDATES} (any case).",
      converter = StateConverter.class)
  ExecutionState state;

  @Option(names = "--queue", description = "Only this queue.")
  String queue;

  @Option(names = "--task", description = "Only this task.")
  String task;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "Page size (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--offset", defaultValue = "0", description = "Rows to skip (default 0).")
  int offset;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new UsageException("--limit must be >= 1, was " + limit);
    }
    if (offset < 0) {
      throw new UsageException("--offset must be >= 0, was " + offset);
    }
    Output output = new Output(spec.commandLine().getOut(), store.json);
    try (OperatorStore opened = store.open()) {
      Operator operator = store.operator(opened);
      List<ExecutionRecord> page =
          operator.list(new ExecutionFilter(state, queue, task, limit, offset));
      Integer next = page.size() == limit ? offset + limit : null;
      if (output.isJson()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("executions", page.stream().map(Output::execution).toList());
        json.put("nextOffset", next);
        output.json(json);
      } else {
        List<List<String>> rows = new ArrayList<>();
        for (ExecutionRecord e : page) {
          rows.add(
              List.of(
                  e.id().value(),
                  e.task(),
                  e.queue(),
                  e.state().storedName(),
                  e.attempt() + "/" + e.maxAttempts(),
                  Output.time(e.createdAt()),
                  Output.brief(e.error(), 40)));
        }
        output.table(List.of("ID", "TASK", "QUEUE", "STATE", "ATTEMPT", "CREATED", "ERROR"), rows);
        if (next != null) {
          output.line("more: --offset " + next);
        }
      }
    }
    return ExitCodes.OK;
  }

  /** Reads a state name in any case. */
  static final class StateConverter implements CommandLine.ITypeConverter<ExecutionState> {
    @Override
    public ExecutionState convert(String value) {
      try {
        return ExecutionState.fromStored(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "--state must be one of pending, running, completed, failed, cancelled, expired,"
                + " was "
                + value);
      }
    }
  }
}
