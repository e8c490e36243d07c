package dev.sluice.app;

/** The exit codes of the {@code sluice} command. */
final class ExitCodes {
  private ExitCodes() {}

  /** The command did what was asked. */
  static final int OK = 0;

  /** The command was understood but refused: the execution is not in a state that allows it. */
  static final int REFUSED = 1;

  /** A bad option or argument: unknown command, bad {@code --db}, unknown id, bad duration. */
  static final int USAGE = 2;

  /** The store failed while the command ran. */
  static final int STORE_FAILED = 3;
}
