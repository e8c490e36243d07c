package dev.sluice.app;

/** Turns error messages into the one line the command prints. */
final class Errors {
  private Errors() {}

  static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "failed";
    }
    String line = message.strip();
    int end = line.indexOf('\n');
    return end < 0 ? line : line.substring(0, end).strip();
  }
}
