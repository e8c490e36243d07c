package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisConnectionTest {
  @Test
  void defaultsAreOneLocalServerWithShortTimeouts() {
    RedisConnection connection = RedisConnection.builder().build();
    assertThat(connection.topology()).isEqualTo(Topology.STANDALONE);
    assertThat(connection.endpoints()).containsExactly("localhost:6379");
    assertThat(connection.commandTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(connection.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(connection.reconnectDelayMax()).isEqualTo(Duration.ofMillis(500));
    assertThat(connection.connectInBackground()).isFalse();
  }

  @Test
  void eachEndpointSplitsIntoHostAndPort() {
    RedisConnection connection =
        RedisConnection.builder().cluster(List.of("a.internal:7000", "b.internal:7001")).build();
    assertThat(connection.host(0)).isEqualTo("a.internal");
    assertThat(connection.port(0)).isEqualTo(7000);
    assertThat(connection.host(1)).isEqualTo("b.internal");
    assertThat(connection.port(1)).isEqualTo(7001);
  }

  @Test
  void theHandshakeMayTakeTheLongerOfTheConnectAndCommandTimeouts() {
    RedisConnection slowConnect =
        RedisConnection.builder()
            .connectTimeout(Duration.ofSeconds(3))
            .commandTimeout(Duration.ofMillis(100))
            .build();
    assertThat(slowConnect.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
    RedisConnection slowCommands =
        RedisConnection.builder()
            .connectTimeout(Duration.ofMillis(100))
            .commandTimeout(Duration.ofSeconds(2))
            .build();
    assertThat(slowCommands.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void brokenRulesNameTheSettingTheRuleAndTheValue() {
    assertThatThrownBy(() -> RedisConnection.builder().connectTimeout(Duration.ZERO).build())
        .isInstanceOf(RedisConfigException.class)
        .hasMessage("redis.connect-timeout must be > 0, was PT0S");
    assertThatThrownBy(
            () -> RedisConnection.builder().reconnectDelayMax(Duration.ofMillis(-1)).build())
        .hasMessage("redis.reconnect-delay-max must be > 0, was PT-0.001S");
    assertThatThrownBy(() -> RedisConnection.builder().database(-1).build())
        .hasMessage("redis.database must be >= 0, was -1");
    assertThatThrownBy(() -> RedisConnection.builder().standalone("redis:0").build())
        .hasMessage("redis.endpoints must be host:port with a port of 1-65535, was \"redis:0\"");
    assertThatThrownBy(() -> RedisConnection.builder().sentinel(null, List.of("s:26379")).build())
        .hasMessage("redis.sentinel-master must be set for a sentinel topology, was null");
  }

  @Test
  void credentialsShowTheUserButNeverThePassword() {
    RedisConnection connection =
        RedisConnection.builder().tls().credentials("app", "s3cret").database(2).build();
    assertThat(connection.toString())
        .contains("user=app", "password=***", "tls", "db=2")
        .doesNotContain("s3cret");
  }

  @Test
  void toBuilderKeepsEverySettingAndChangesOnlyWhatIsSetAgain() {
    RedisConnection original =
        RedisConnection.builder()
            .sentinel("limits", List.of("s1:26379", "s2:26379"))
            .tls()
            .credentials("app", "pw")
            .database(3)
            .commandTimeout(Duration.ofMillis(80))
            .connectTimeout(Duration.ofMillis(900))
            .reconnectDelayMax(Duration.ofMillis(300))
            .connectInBackground()
            .build();
    assertThat(original.toBuilder().build()).isEqualTo(original);
    RedisConnection changed = original.toBuilder().commandTimeout(Duration.ofMillis(40)).build();
    assertThat(changed.commandTimeout()).isEqualTo(Duration.ofMillis(40));
    assertThat(changed)
        .usingRecursiveComparison()
        .ignoringFields("commandTimeout")
        .isEqualTo(original);
  }
}
