package dev.sluice.app;

import dev.sluice.durable.store.OperatorStore;
import dev.sluice.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice durable purge --older-than 7d}: deletes ended executions in batches. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Deletes completed, cancelled and expired executions that ended longer ago than"
            + " --older-than, in batches. Failed executions stay while their dead letter does.")
final class PurgeCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--older-than",
      required = true,
      paramLabel = "AGE",
      description = "How long ago they ended, e.g. 7d, 12h, 1h30m or ISO-8601 (P7D).")
  String olderThan;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      description = "Rows per transaction (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() {
    Duration age;
    try {
      age = Durations.parse(olderThan);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--older-than: " + Errors.oneLine(e.getMessage()), e);
    }
    if (batchSize < 1) {
      throw new UsageException("--batch-size must be >= 1, was " + batchSize);
    }
    Output output = new Output(spec.commandLine().getOut(), store.json);
    Instant cutoff = store.time().now().minus(age);
    long purged = 0;
    try (OperatorStore opened = store.open()) {
      purged = store.operator(opened).purgeEndedBefore(cutoff, batchSize);
    }
    if (output.isJson()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("purged", purged);
      json.put("endedBefore", cutoff.toString());
      output.json(json);
    } else {
      output.line("purged " + purged + " executions that ended before " + cutoff);
    }
    return ExitCodes.OK;
  }
}
