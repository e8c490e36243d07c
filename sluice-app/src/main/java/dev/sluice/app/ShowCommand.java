package dev.sluice.app;

import dev.sluice.durable.Operator;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.OperatorStore;
import dev.sluice.durable.store.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sluice durable show ID}: one execution with its input, steps, attempts and outcome. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Shows one execution: input, steps, attempts, error and result.")
final class ShowCommand implements Callable<Integer> {
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
      List<StepRecord> steps = operator.steps(execution.id());
      Map<String, Object> json = Output.execution(execution);
      if (output.isJson()) {
        json.put("steps", steps.stream().map(Output::step).toList());
        output.json(json);
        return ExitCodes.OK;
      }
      List<List<String>> fields = new ArrayList<>();
      json.forEach(
          (key, value) -> {
            if (!key.equals("hasResult") && value != null && !"".equals(value)) {
              fields.add(List.of(key, String.valueOf(value)));
            }
          });
      if (execution.resultJson() == null) {
        fields.removeIf(row -> row.get(0).equals("result"));
      }
      output.table(List.of("FIELD", "VALUE"), fields);
      output.line("");
      List<List<String>> rows = new ArrayList<>();
      for (StepRecord s : steps) {
        Map<String, Object> step = Output.step(s);
        rows.add(
            List.of(
                String.valueOf(s.sequence()),
                s.name(),
                String.valueOf(step.get("kind")),
                String.valueOf(step.get("status")),
                Output.brief(s.outcomeJson(), 60)));
      }
      output.table(List.of("STEP", "NAME", "KIND", "STATUS", "OUTCOME"), rows);
    }
    return ExitCodes.OK;
  }
}
