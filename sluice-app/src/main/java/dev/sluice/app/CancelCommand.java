package dev.sluice.app;

import dev.sluice.durable.Operator;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.OperatorStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sluice durable cancel ID}: cancels a pending or running execution; terminal. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancels a pending or running execution. Exit code 1 if it already ended.")
final class CancelCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The execution id.")
  String id;

  @Override
  public Integer call() {
    Output output = new Output(spec.commandLine().getOut(), store.json);
    try (OperatorStore opened = store.open()) {
      Operator operator = store.operator(opened);
      ExecutionRecord execution = Ids.find(operator, id);
      boolean cancelled = operator.cancel(execution.id());
      String state = operator.find(execution.id()).map(e -> e.state().storedName()).orElse("gone");
      if (output.isJson()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("cancelled", cancelled);
        json.put("state", state);
        output.json(json);
      } else if (cancelled) {
        output.line("cancelled " + id);
      } else {
        spec.commandLine()
            .getErr()
            .println(
                "sluice: execution " + id + " is " + state + "; only a live one can be cancelled");
      }
      return cancelled ? ExitCodes.OK : ExitCodes.REFUSED;
    }
  }
}
