package dev.sluice.redis;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.util.Locale;

/**
 * Tells the errors after which the script certainly did not run, and may be sent again without
 * charging a limit twice: no connection (the command was rejected before it was written), a server
 * still loading, a replica that refuses writes (mid-failover), a busy server, a cluster slot in
 * migration or a cluster that is down. A timeout is never one of them: the script may have run.
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
      String message = String.valueOf(failure.getMessage()).toUpperCase(Locale.ROOT);
      return message.startsWith("CURRENTLY NOT CONNECTED")
          || message.startsWith("TRYAGAIN")
          || message.startsWith("CLUSTERDOWN")
          || message.startsWith("MASTERDOWN")
          || message.startsWith("LOADING")
          || message.startsWith("READONLY");
    }
    return false;
  }
}
