package dev.sluice.app;

import static org.awaitility.Awaitility.await;

import dev.sluice.testkit.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;

/**
 * One master, one replica and one sentinel (quorum 1, the master down after 300 ms without answer),
 * started and waited for until the sentinel knows the replica, as {@code sluice-redis}' {@code
 * SentinelIT} sets them up.
 */
final class SentinelTopology implements AutoCloseable {
  static final String MASTER = "limits";

  final RedisNode master;
  final RedisNode replica;
  final RedisNode sentinel;
  private final RedisClient admin;
  private final RedisCommands<String, String> commands;

  SentinelTopology() {
    master = RedisNode.start();
    replica = RedisNode.start("--replicaof", master.host(), master.portText());
    sentinel =
        RedisNode.sentinel(
            "sentinel monitor " + MASTER + " " + master.host() + " " + master.port() + " 1",
            "sentinel down-after-milliseconds " + MASTER + " 300",
            "sentinel failover-timeout " + MASTER + " 5000");
    admin = RedisClient.create(sentinel.uri());
    commands = admin.connect().sync();
    await("the sentinel learns of the replica")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !sentinel("replicas", MASTER).isEmpty());
  }

  /** The port of the master as the sentinel names it now. */
  String masterPort() {
    return String.valueOf(sentinel("get-master-addr-by-name", MASTER).get(1));
  }

  private List<Object> sentinel(String... args) {
    CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8);
    for (String arg : args) {
      command.add(arg);
    }
    return commands.dispatch(CommandType.SENTINEL, new ArrayOutput<>(StringCodec.UTF8), command);
  }

  @Override
  public void close() {
    admin.shutdown();
    sentinel.stop();
    replica.stop();
    master.stop();
  }
}
