package dev.sluice.app;

import dev.sluice.SluiceException;

/** A mistake in the command line that the parser could not see: exit code 2, one line. */
final class UsageException extends SluiceException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
