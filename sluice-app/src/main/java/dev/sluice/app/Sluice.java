package dev.sluice.app;

import dev.sluice.time.TimeSource;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command. Exit codes: {@link ExitCodes}.
 *
 * <pre>
 * sluice durable stats --db sluice.db
 * sluice durable list --db jdbc:postgresql://db/app?user=me --state failed --json
 * </pre>
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = Sluice.Version.class,
    description = "Flow control between services.",
    subcommands = {DemoCommand.class, DurableCommand.class, GatewayCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:refused (the execution or dead letter is not in a state that allows it)",
      "2:usage error (bad option, bad --db, unknown id, malformed duration)",
      "3:the store failed while running the command"
    })
public final class Sluice implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command and exits the JVM with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command with the given output streams.
   *
   * @param args the arguments
   * @param out where results go
   * @param err where errors go, one line each
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, TimeSource.system());
  }

  /**
   * Runs the command with the given output streams and time source; every time a command reads (a
   * cancel's or replay's timestamp, a purge's cutoff) comes from {@code time}.
   *
   * @param args the arguments
   * @param out where results go
   * @param err where errors go, one line each
   * @param time the time source
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, TimeSource time) {
    // the stores log through System.Logger (java.util.logging): keep the command's output clean
    Logger.getLogger("").setLevel(Level.WARNING);
    CommandLine command = new CommandLine(new Sluice(), new TimedFactory(time));
    command.setOut(out);
    command.setErr(err);
    command.setParameterExceptionHandler(
        (e, arguments) -> {
          err.println("sluice: " + Errors.oneLine(e.getMessage()));
          return ExitCodes.USAGE;
        });
    command.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof UsageException) {
            err.println("sluice: " + Errors.oneLine(e.getMessage()));
            return ExitCodes.USAGE;
          }
          err.println("sluice: " + Errors.oneLine(String.valueOf(e.getMessage())));
          return ExitCodes.STORE_FAILED;
        });
    int code = command.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Creates commands and options as picocli does, handing the time source to the store options. */
  private record TimedFactory(TimeSource time) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == StoreOptions.class) {
        return type.cast(new StoreOptions(time));
      }
      if (type == DemoCommand.class) {
        return type.cast(new DemoCommand(time));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Sluice.class.getPackage().getImplementationVersion();
      return new String[] {"sluice " + (version == null ? "development" : version)};
    }
  }
}
