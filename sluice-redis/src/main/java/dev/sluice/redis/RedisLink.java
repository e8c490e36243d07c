package dev.sluice.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce client and its single shared connection for a {@link RedisStore}, built for the
 * configured topology. Lettuce multiplexes every caller's commands over the connection; while it is
 * disconnected, commands are rejected at once (rather than queued until their timeout), so an
 * outage is seen as soon as the socket closes.
 */
final class RedisLink implements AutoCloseable {
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final RedisScriptingCommands<String, String> scripting;

  private RedisLink(
      ClientResources resources,
      AbstractRedisClient client,
      StatefulConnection<String, String> connection,
      RedisScriptingCommands<String, String> scripting) {
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.scripting = scripting;
  }

  static RedisLink open(RedisStoreConfig config) {
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), config.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
            .build();
    try {
      SocketOptions socket =
          SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build();
      TimeoutOptions timeouts = TimeoutOptions.enabled(config.commandTimeout());
      if (config.topology() == Topology.CLUSTER) {
        List<RedisURI> seeds = new ArrayList<>();
        for (int i = 0; i < config.endpoints().size(); i++) {
          seeds.add(uri(config, RedisURI.Builder.redis(config.host(i), config.port(i))));
        }
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(
            ClusterClientOptions.builder()
                .socketOptions(socket)
                .timeoutOptions(timeouts)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .topologyRefreshOptions(
                    ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        StatefulRedisClusterConnection<String, String> connection = client.connect();
        connection.setTimeout(config.commandTimeout());
        return new RedisLink(resources, client, connection, connection.sync());
      }
      RedisURI.Builder target;
      if (config.topology() == Topology.SENTINEL) {
        target = RedisURI.Builder.sentinel(config.host(0), config.port(0), config.sentinelMaster());
        for (int i = 1; i < config.endpoints().size(); i++) {
          target.withSentinel(config.host(i), config.port(i));
        }
      } else {
        target = RedisURI.Builder.redis(config.host(0), config.port(0));
      }
      target.withDatabase(config.database());
      RedisClient client = RedisClient.create(resources, uri(config, target));
      client.setOptions(
          ClientOptions.builder()
              .socketOptions(socket)
              .timeoutOptions(timeouts)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      StatefulRedisConnection<String, String> connection = client.connect();
      connection.setTimeout(config.commandTimeout());
      return new RedisLink(resources, client, connection, connection.sync());
    } catch (RuntimeException e) {
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw new RedisStoreException(
          "cannot connect to redis at " + config.endpoints() + ": " + e.getMessage(), e);
    }
  }

  private static RedisURI uri(RedisStoreConfig config, RedisURI.Builder builder) {
    // the URI's timeout also bounds the connection handshake (HELLO, AUTH, SELECT): give it the
    // connect timeout; commands get the command timeout from the connection and TimeoutOptions
    Duration handshake =
        config.connectTimeout().compareTo(config.commandTimeout()) > 0
            ? config.connectTimeout()
            : config.commandTimeout();
    builder.withTimeout(handshake).withSsl(config.tls());
    if (config.password() != null) {
      if (config.username() != null) {
        builder.withAuthentication(config.username(), config.password());
      } else {
        builder.withPassword(config.password().toCharArray());
      }
    }
    return builder.build();
  }

  /**
   * Runs the decision script: {@code EVALSHA}, and on {@code NOSCRIPT} (a restarted server, a
   * failover, a new cluster node) {@code EVAL}, which runs it and caches it again.
   */
  List<Object> decide(String[] keys, String[] args) {
    try {
      return scripting.evalsha(DecideScript.SHA, ScriptOutputType.MULTI, keys, args);
    } catch (io.lettuce.core.RedisNoScriptException missing) {
      return scripting.eval(DecideScript.SOURCE, ScriptOutputType.MULTI, keys, args);
    }
  }

  /** Loads the script ahead of the first decision; a failure here is repaired by the reload. */
  void preload() {
    scripting.scriptLoad(DecideScript.SOURCE);
  }

  boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public void close() {
    try {
      connection.close();
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
      resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }
}
