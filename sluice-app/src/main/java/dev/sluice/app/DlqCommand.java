package dev.sluice.app;

import dev.sluice.durable.Operator;
import dev.sluice.durable.store.DeadLetter;
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
import picocli.CommandLine.Parameters;

/** {@code sluice durable dlq list|replay|discard}: the dead letters of failed executions. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "Lists, replays or discards dead letters (executions that failed for good).",
    subcommands = {DlqCommand.ListLetters.class, DlqCommand.Replay.class, DlqCommand.Discard.class})
final class DlqCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code dlq list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists dead letters, oldest first.")
  static final class ListLetters implements Callable<Integer> {
    @Mixin StoreOptions store;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "Page size (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", defaultValue = "0", description = "Rows to skip (default 0).")
    int offset;

    @Override
    public Integer call() {
      if (limit < 1 || offset < 0) {
        throw new UsageException(
            "--limit must be >= 1 and --offset >= 0, was " + limit + " and " + offset);
      }
      Output output = new Output(spec.commandLine().getOut(), store.json);
      try (OperatorStore opened = store.open()) {
        Operator operator = store.operator(opened);
        List<DeadLetter> page = operator.deadLetters(limit, offset);
        long total = operator.deadLetterCount();
        if (output.isJson()) {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("deadLetters", page.stream().map(Output::deadLetter).toList());
          json.put("total", total);
          output.json(json);
        } else {
          List<List<String>> rows = new ArrayList<>();
          for (DeadLetter d : page) {
            rows.add(
                List.of(
                    d.executionId().value(),
                    d.task(),
                    d.queue(),
                    Integer.toString(d.attempts()),
                    Output.time(d.failedAt()),
                    Output.brief(d.error(), 60)));
          }
          output.table(List.of("ID", "TASK", "QUEUE", "ATTEMPTS", "FAILED", "ERROR"), rows);
          output.line(total + " dead letters");
        }
      }
      return ExitCodes.OK;
    }
  }

  /** What replay and discard share: find the execution, act, report. */
  abstract static class OnLetter implements Callable<Integer> {
    @Mixin StoreOptions store;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The failed execution's id.")
    String id;

    abstract boolean act(Operator operator, ExecutionRecord execution);

    abstract String done();

    @Override
    public Integer call() {
      Output output = new Output(spec.commandLine().getOut(), store.json);
      try (OperatorStore opened = store.open()) {
        Operator operator = store.operator(opened);
        ExecutionRecord execution = Ids.find(operator, id);
        boolean acted = act(operator, execution);
        if (output.isJson()) {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("id", id);
          json.put(done(), acted);
          output.json(json);
        } else if (acted) {
          output.line(done() + " " + id);
        } else {
          spec.commandLine()
              .getErr()
              .println(
                  "sluice: execution "
                      + id
                      + " has no dead letter (it is "
                      + execution.state().storedName()
                      + ")");
        }
        return acted ? ExitCodes.OK : ExitCodes.REFUSED;
      }
    }
  }

  /** {@code dlq replay ID}. */
  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = "Puts a failed execution back to pending, attempt 1, due now.")
  static final class Replay extends OnLetter {
    @Override
    boolean act(Operator operator, ExecutionRecord execution) {
      return operator.replay(execution.id());
    }

    @Override
    String done() {
      return "replayed";
    }
  }

  /** {@code dlq discard ID}. */
  @Command(
      name = "discard",
      mixinStandardHelpOptions = true,
      description = "Deletes a dead letter; the execution stays failed.")
  static final class Discard extends OnLetter {
    @Override
    boolean act(Operator operator, ExecutionRecord execution) {
      return operator.discard(execution.id());
    }

    @Override
    String done() {
      return "discarded";
    }
  }
}
