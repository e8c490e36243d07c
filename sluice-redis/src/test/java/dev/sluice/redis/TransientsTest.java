package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
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
}
