package dev.sluice.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice durable}: inspect and operate durable executions. */
@Command(
    name = "durable",
    mixinStandardHelpOptions = true,
    description = "Inspect and operate durable executions in a SQLite or PostgreSQL store.",
    subcommands = {
      StatsCommand.class,
      ListCommand.class,
      ShowCommand.class,
      CancelCommand.class,
      DlqCommand.class,
      PurgeCommand.class
    })
final class DurableCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
