package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TransientsTest {
  @Test
  void errorsAfterWhichTheScriptSurelyDidNotRunAreRetried() {
    assertThat(Transients.isTransient(new RedisConnectionException("refused"))).isTrue();
    assertThat(
            Transients.isTransient(
                new RedisException("Currently not connected. Commands are rejected.")))
        .isTrue();
    assertThat(Transients.isTransient(new RedisLoadingException("LOADING"))).isTrue();
    assertThat(Transients.isTransient(new RedisReadOnlyException("READONLY replica"))).isTrue();
    assertThat(Transients.isTransient(new RedisCommandExecutionException("TRYAGAIN slot")))
        .isTrue();
    assertThat(Transients.isTransient(new RedisCommandExecutionException("CLUSTERDOWN"))).isTrue();
  }

  @Test
  void aTimeoutIsNeverRetriedBecauseTheScriptMayHaveRun() {
    assertThat(Transients.isTransient(new RedisCommandTimeoutException("timed out"))).isFalse();
  }

  @Test
  void scriptErrorsAndOtherFailuresAreNotRetried() {
    assertThat(Transients.isTransient(new RedisCommandExecutionException("ERR script error")))
        .isFalse();
    assertThat(Transients.isTransient(new IllegalStateException("bad reply"))).isFalse();
  }

  @Test
  void everyErrorFallsInOneKind() {
    assertThat(Transients.kind(new RedisCommandTimeoutException("timed out")))
        .isEqualTo(RedisErrorKind.TIMEOUT);
    assertThat(Transients.kind(new RedisConnectionException("refused")))
        .isEqualTo(RedisErrorKind.CONNECTION);
    assertThat(
            Transients.kind(new RedisException("Currently not connected. Commands are rejected.")))
        .isEqualTo(RedisErrorKind.CONNECTION);
    assertThat(Transients.kind(new RedisException("Connection closed")))
        .isEqualTo(RedisErrorKind.CONNECTION);
    assertThat(Transients.kind(new RedisException(new IOException("Connection reset by peer"))))
        .isEqualTo(RedisErrorKind.CONNECTION);
    assertThat(Transients.kind(new RedisLoadingException("LOADING")))
        .isEqualTo(RedisErrorKind.UNAVAILABLE);
    assertThat(Transients.kind(new RedisReadOnlyException("READONLY replica")))
        .isEqualTo(RedisErrorKind.UNAVAILABLE);
    assertThat(Transients.kind(new RedisBusyException("BUSY running a script")))
        .isEqualTo(RedisErrorKind.UNAVAILABLE);
    assertThat(Transients.kind(new RedisCommandExecutionException("TRYAGAIN slot")))
        .isEqualTo(RedisErrorKind.UNAVAILABLE);
    assertThat(Transients.kind(new RedisCommandExecutionException("MASTERDOWN link down")))
        .isEqualTo(RedisErrorKind.UNAVAILABLE);
    assertThat(Transients.kind(new RedisCommandExecutionException("ERR Error running script")))
        .isEqualTo(RedisErrorKind.SCRIPT);
    assertThat(Transients.kind(new IllegalStateException("redis decision script replied 2")))
        .isEqualTo(RedisErrorKind.SCRIPT);
    assertThat(Transients.kind(new RedisCommandInterruptedException(new InterruptedException())))
        .isEqualTo(RedisErrorKind.OTHER);
    assertThat(Transients.kind(new UnsupportedOperationException("?")))
        .isEqualTo(RedisErrorKind.OTHER);
  }

  @Test
  void everyTransientErrorIsConnectionOrUnavailable() {
    for (Throwable transientError :
        new Throwable[] {
          new RedisConnectionException("refused"),
          new RedisException("Currently not connected. Commands are rejected."),
          new RedisLoadingException("LOADING"),
          new RedisBusyException("BUSY"),
          new RedisCommandExecutionException("CLUSTERDOWN")
        }) {
      assertThat(Transients.isTransient(transientError)).isTrue();
      assertThat(Transients.kind(transientError))
          .isIn(RedisErrorKind.CONNECTION, RedisErrorKind.UNAVAILABLE);
    }
  }
}
