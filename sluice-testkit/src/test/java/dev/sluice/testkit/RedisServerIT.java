package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerIT {
  @RegisterExtension static final RedisExtension redis = new RedisExtension();

  private static RedisClient client;

  @BeforeAll
  static void connect() {
    RedisServer server = redis.server();
    client =
        RedisClient.create(
            RedisURI.builder()
                .withHost(server.host())
                .withPort(server.port())
                .withTimeout(Duration.ofSeconds(2))
                .build());
  }

  @AfterAll
  static void disconnect() {
    client.shutdown();
  }

  @Test
  void answersPingAndRunsLuaScripts() {
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertThat(redis.ping()).isEqualTo("PONG");
      Long incremented =
          redis.eval(
              "return redis.call('INCRBY', KEYS[1], ARGV[1])",
              ScriptOutputType.INTEGER,
              new String[] {"{client}:count"},
              "5");
      assertThat(incremented).isEqualTo(5L);
      assertThat(redis.get("{client}:count")).isEqualTo("5");
    }
  }

  @Test
  void survivesKillAndRestartOnTheSamePortWithEmptyData() {
    RedisServer server = redis.server();
    int port = server.port();
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().set("survivor", "no");
    }

    server.kill();
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(
            () -> {
              try (StatefulRedisConnection<String, String> dead = client.connect()) {
                dead.sync().ping();
              }
            })
        .isInstanceOf(RedisException.class);

    server.restart();
    assertThat(server.port()).isEqualTo(port);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
      assertThat(connection.sync().get("survivor")).isNull();
    }
  }

  @Test
  void restartRefusesWhileRunning() {
    assertThatThrownBy(() -> redis.server().restart())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("still running");
  }

  @Test
  void keepsALogForDiagnosis() {
    assertThat(redis.server().logs()).contains("Ready to accept connections");
  }
}
