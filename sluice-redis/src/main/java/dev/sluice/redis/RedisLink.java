package dev.sluice.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisNoScriptException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One Lettuce client and its single shared connection for a {@link RedisStore}, built for the
 * configured topology. Lettuce multiplexes every caller's commands over the connection; while it is
 * disconnected, commands are rejected at once (rather than queued until their timeout), so an
 * outage is seen as soon as the socket closes. If the first connection fails and the configuration
 * allows it, the link keeps trying in the background and commands fail as "not connected" (a
 * transient error) until it succeeds.
 */
final class RedisLink implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());

  private final RedisConnection config;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final Runnable onScriptReload;
  private final AtomicReference<Session> session = new AtomicReference<>();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private volatile boolean closed;

  /** A live connection, its script commands and its PING. */
  private record Session(
      StatefulConnection<String, String> connection,
      RedisScriptingCommands<String, String> scripting,
      Supplier<String> ping) {}

  private RedisLink(
      RedisConnection config,
      ClientResources resources,
      AbstractRedisClient client,
      Runnable onScriptReload) {
    this.config = config;
    this.resources = resources;
    this.client = client;
    this.onScriptReload = onScriptReload;
  }

  /**
   * Creates the client and connects; when that fails, throws, or with {@code connectInBackground}
   * keeps trying in the background (commands fail as not connected until then). {@code
   * onScriptReload} runs on the calling thread each time a call meets {@code NOSCRIPT}.
   */
  static RedisLink open(RedisConnection config, FailureMode onFailure, Runnable onScriptReload) {
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), config.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisLink link;
    try {
      link = new RedisLink(config, resources, client(config, resources), onScriptReload);
    } catch (RuntimeException e) {
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    try {
      link.connect();
    } catch (RuntimeException e) {
      if (!config.connectInBackground()) {
        link.close();
        throw new RedisStoreException(
            "cannot connect to redis at " + config.endpoints() + ": " + e.getMessage(), e);
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot connect to redis at "
              + config.endpoints()
              + " ("
              + e.getMessage()
              + "); deciding "
              + onFailure
              + " and connecting in the background");
      link.connectLater();
    }
    return link;
  }

  private static AbstractRedisClient client(RedisConnection config, ClientResources resources) {
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
      return client;
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
    return client;
  }

  private void connect() {
    Session fresh;
    if (client instanceof RedisClusterClient cluster) {
      StatefulRedisClusterConnection<String, String> connection = cluster.connect();
      connection.setTimeout(config.commandTimeout());
      fresh = new Session(connection, connection.sync(), connection.sync()::ping);
    } else {
      StatefulRedisConnection<String, String> connection = ((RedisClient) client).connect();
      connection.setTimeout(config.commandTimeout());
      fresh = new Session(connection, connection.sync(), connection.sync()::ping);
    }
    if (closed) {
      fresh.connection().close();
      return;
    }
    session.set(fresh);
    try {
      fresh.scripting().scriptLoad(DecideScript.SOURCE);
      fresh.scripting().scriptLoad(PenaltyScripts.CHECK.source());
      fresh.scripting().scriptLoad(PenaltyScripts.VIOLATION.source());
    } catch (RuntimeException e) {
      // not fatal: the first call loads a script again (NOSCRIPT reload)
      LOG.log(System.Logger.Level.DEBUG, "cannot preload the scripts", e);
    }
  }

  /** Tries to connect after a pause, again and again, until it works or the link is closed. */
  private void connectLater() {
    if (closed || !connecting.compareAndSet(false, true)) {
      return;
    }
    resources
        .eventExecutorGroup()
        .schedule(
            () -> {
              try {
                connect();
                connecting.set(false);
                LOG.log(System.Logger.Level.INFO, "connected to redis at " + config.endpoints());
              } catch (RuntimeException e) {
                connecting.set(false);
                LOG.log(System.Logger.Level.DEBUG, "still cannot connect to redis", e);
                connectLater();
              }
            },
            config.reconnectDelayMax().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private static RedisURI uri(RedisConnection config, RedisURI.Builder builder) {
    // the URI's timeout also bounds the connection handshake (HELLO, AUTH, SELECT): give it the
    // connect timeout; commands get the command timeout from the connection and TimeoutOptions
    builder.withTimeout(config.handshakeTimeout()).withSsl(config.tls());
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
   * Runs a script by its digest ({@code EVALSHA}), and on {@code NOSCRIPT} (a restarted server, a
   * failover, a new cluster node) by its source ({@code EVAL}), which runs it and caches it again.
   */
  List<Object> eval(String source, String sha, String[] keys, String[] args) {
    Session current = session.get();
    if (current == null) {
      throw new RedisConnectionException(
          "not connected to redis at " + config.endpoints() + " yet: connecting in the background");
    }
    RedisScriptingCommands<String, String> scripting = current.scripting();
    try {
      return scripting.evalsha(sha, ScriptOutputType.MULTI, keys, args);
    } catch (RedisNoScriptException missing) {
      onScriptReload.run();
      return scripting.eval(source, ScriptOutputType.MULTI, keys, args);
    }
  }

  /** Sends PING on the shared connection: true when Redis answered within the command timeout. */
  boolean ping() {
    Session current = session.get();
    if (current == null) {
      return false;
    }
    try {
      return "PONG".equals(current.ping().get());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      Session current = session.getAndSet(null);
      if (current != null) {
        current.connection().close();
      }
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
      resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }
}
