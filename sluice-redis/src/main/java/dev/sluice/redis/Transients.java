package dev.sluice.redis;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.io.IOException;
import java.util.Locale;

/**
 * Tells the errors after which the script certainly did not run, and may be sent again without
 * charging a limit twice: no connection (the command was rejected before it was written), a server
 * still loading, a replica that refuses writes (mid-failover), a busy server, a cluster slot in
 * migration or a cluster that is down. A timeout is never one of them: the script may have run.
 * Also sorts every error into a {@link RedisErrorKind}.
 */
final class Transients {
  private Transients() {}

  static boolean isTransient(Throwable failure) {
    if (failure instanceof RedisCommandTimeoutException) {
      return false;
    }
    if (failure instanceof RedisConnectionException
        || failure instanceof RedisLoadingException
        || failure instanceof RedisReadOnlyException
        || failure instanceof RedisBusyException) {
      return true;
    }
    if (failure instanceof RedisException) {
      String message = upper(failure);
      return message.startsWith("CURRENTLY NOT CONNECTED") || unavailable(message);
    }
    return false;
  }

  /**
   * What kind of error a failed call met: a timeout, no connection (rejected, refused, or closed
   * while waiting, an I/O error underneath), a server that cannot serve now (the transient
   * replies), an error reply or an unreadable reply, or something else.
   */
  static RedisErrorKind kind(Throwable failure) {
    if (failure instanceof RedisCommandTimeoutException) {
      return RedisErrorKind.TIMEOUT;
    }
    if (failure instanceof RedisConnectionException) {
      return RedisErrorKind.CONNECTION;
    }
    if (failure instanceof RedisLoadingException
        || failure instanceof RedisReadOnlyException
        || failure instanceof RedisBusyException) {
      return RedisErrorKind.UNAVAILABLE;
    }
    if (failure instanceof RedisException) {
      String message = upper(failure);
      if (message.startsWith("CURRENTLY NOT CONNECTED")
          || message.startsWith("CONNECTION CLOSED")
          || causedByIo(failure)) {
        return RedisErrorKind.CONNECTION;
      }
      if (unavailable(message)) {
        return RedisErrorKind.UNAVAILABLE;
      }
      if (failure instanceof RedisCommandExecutionException) {
        return RedisErrorKind.SCRIPT;
      }
      return RedisErrorKind.OTHER;
    }
    if (failure instanceof IllegalStateException) {
      // DecideScript read a reply it does not understand
      return RedisErrorKind.SCRIPT;
    }
    return RedisErrorKind.OTHER;
  }

  private static boolean unavailable(String message) {
    return message.startsWith("TRYAGAIN")
        || message.startsWith("CLUSTERDOWN")
        || message.startsWith("MASTERDOWN")
        || message.startsWith("LOADING")
        || message.startsWith("READONLY");
  }

  private static boolean causedByIo(Throwable failure) {
    for (Throwable t = failure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String upper(Throwable failure) {
    return String.valueOf(failure.getMessage()).toUpperCase(Locale.ROOT);
  }
}
