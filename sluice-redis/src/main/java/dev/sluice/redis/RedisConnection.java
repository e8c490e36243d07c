package dev.sluice.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where Redis is and how a {@link RedisStore} talks to it: topology, endpoints, TLS, credentials,
 * database and timeouts. Immutable; every rule is checked once, in the constructor, and an error
 * names the setting, the rule and the value ({@code redis.connect-timeout must be > 0, was PT0S}).
 * The password never shows in {@link #toString()}.
 *
 * <pre>{@code
 * RedisConnection connection = RedisConnection.builder()
 *     .sentinel("limits", List.of("sentinel-1:26379", "sentinel-2:26379"))
 *     .credentials("sluice", System.getenv("REDIS_PASSWORD"))
 *     .commandTimeout(Duration.ofMillis(200))
 *     .build();
 * }</pre>
 *
 * @param topology standalone, Sentinel or Cluster
 * @param endpoints {@code host:port} of the server, the sentinels or the cluster seeds
 * @param sentinelMaster the master name the sentinels monitor (Sentinel only)
 * @param tls whether connections use TLS (peer verified)
 * @param username the ACL user, or {@code null} for the default user
 * @param password the password, or {@code null} for none
 * @param database the database index (standalone and Sentinel)
 * @param commandTimeout how long one script call may take before it counts as a failure
 * @param connectTimeout how long establishing a connection may take
 * @param reconnectDelayMax the longest pause between reconnection attempts
 * @param connectInBackground whether a store may start while Redis is unreachable (deciding by the
 *     failure mode and connecting in the background) instead of failing at creation
 */
public record RedisConnection(
    Topology topology,
    List<String> endpoints,
    @Nullable String sentinelMaster,
    boolean tls,
    @Nullable String username,
    @Nullable String password,
    int database,
    Duration commandTimeout,
    Duration connectTimeout,
    Duration reconnectDelayMax,
    boolean connectInBackground) {

  private static final Pattern ENDPOINT = Pattern.compile("[^:\\s]+:\\d{1,5}");

  /**
   * Checks every rule.
   *
   * @throws RedisConfigException if a value breaks a rule
   */
  public RedisConnection {
    Objects.requireNonNull(topology, "redis.topology");
    endpoints = List.copyOf(Objects.requireNonNull(endpoints, "redis.endpoints"));
    if (endpoints.isEmpty()) {
      throw new RedisConfigException("redis.endpoints must name at least one host:port, was []");
    }
    for (String endpoint : endpoints) {
      if (!ENDPOINT.matcher(endpoint).matches() || port(endpoint) < 1 || port(endpoint) > 65535) {
        throw new RedisConfigException(
            "redis.endpoints must be host:port with a port of 1-65535, was \"" + endpoint + "\"");
      }
    }
    if (topology == Topology.SENTINEL && (sentinelMaster == null || sentinelMaster.isBlank())) {
      throw new RedisConfigException(
          "redis.sentinel-master must be set for a sentinel topology, was " + sentinelMaster);
    }
    if (topology == Topology.CLUSTER && database != 0) {
      throw new RedisConfigException(
          "redis.database must be 0 on a cluster topology, was " + database);
    }
    if (database < 0) {
      throw new RedisConfigException("redis.database must be >= 0, was " + database);
    }
    RedisConfigException.requirePositive("command-timeout", commandTimeout);
    RedisConfigException.requirePositive("connect-timeout", connectTimeout);
    RedisConfigException.requirePositive("reconnect-delay-max", reconnectDelayMax);
  }

  /**
   * Starts a connection to {@code localhost:6379}; set the topology with {@link
   * Builder#standalone}, {@link Builder#sentinel} or {@link Builder#cluster}.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these settings, to change some of them.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.topology = topology;
    builder.endpoints = endpoints;
    builder.sentinelMaster = sentinelMaster;
    builder.tls = tls;
    builder.username = username;
    builder.password = password;
    builder.database = database;
    builder.commandTimeout = commandTimeout;
    builder.connectTimeout = connectTimeout;
    builder.reconnectDelayMax = reconnectDelayMax;
    builder.connectInBackground = connectInBackground;
    return builder;
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  /** The host of endpoint {@code index}. */
  String host(int index) {
    String endpoint = endpoints.get(index);
    return endpoint.substring(0, endpoint.lastIndexOf(':'));
  }

  /** The port of endpoint {@code index}. */
  int port(int index) {
    return port(endpoints.get(index));
  }

  /** The handshake timeout (HELLO, AUTH, SELECT): the longer of the connect and command ones. */
  Duration handshakeTimeout() {
    return connectTimeout.compareTo(commandTimeout) > 0 ? connectTimeout : commandTimeout;
  }

  @Override
  public String toString() {
    return topology
        + " "
        + endpoints
        + (sentinelMaster == null ? "" : " master=" + sentinelMaster)
        + (tls ? " tls" : "")
        + (username == null ? "" : " user=" + username)
        + (password == null ? "" : " password=***")
        + " db="
        + database
        + " timeout="
        + commandTimeout;
  }

  /** Collects the settings of a {@link RedisConnection}; {@link #build()} validates them. */
  public static final class Builder {
    private Topology topology = Topology.STANDALONE;
    private List<String> endpoints = List.of("localhost:6379");
    private @Nullable String sentinelMaster;
    private boolean tls;
    private @Nullable String username;
    private @Nullable String password;
    private int database;
    private Duration commandTimeout = Duration.ofMillis(250);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration reconnectDelayMax = Duration.ofMillis(500);
    private boolean connectInBackground;

    private Builder() {}

    /**
     * Talks to one server; {@code localhost:6379} by default.
     *
     * @param endpoint {@code host:port}
     * @return this builder
     */
    public Builder standalone(String endpoint) {
      this.topology = Topology.STANDALONE;
      this.endpoints = List.of(endpoint);
      return this;
    }

    /**
     * Finds the master {@code master} through sentinels.
     *
     * @param master the name the sentinels monitor
     * @param sentinels {@code host:port} of one or more sentinels
     * @return this builder
     */
    public Builder sentinel(String master, List<String> sentinels) {
      this.topology = Topology.SENTINEL;
      this.sentinelMaster = master;
      this.endpoints = sentinels;
      return this;
    }

    /**
     * Talks to a Redis Cluster discovered from seed nodes.
     *
     * @param seeds {@code host:port} of one or more nodes
     * @return this builder
     */
    public Builder cluster(List<String> seeds) {
      this.topology = Topology.CLUSTER;
      this.endpoints = seeds;
      return this;
    }

    /**
     * Uses TLS, verifying the server's certificate.
     *
     * @return this builder
     */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /**
     * Authenticates with a password (Redis {@code requirepass}, default user).
     *
     * @param password the password, or {@code null} for none
     * @return this builder
     */
    public Builder password(@Nullable String password) {
      this.password = password;
      return this;
    }

    /**
     * Authenticates as an ACL user.
     *
     * @param username the user
     * @param password its password
     * @return this builder
     */
    public Builder credentials(String username, String password) {
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * Selects a database; 0 by default.
     *
     * @param database the index, at least 0; 0 on a cluster
     * @return this builder
     */
    public Builder database(int database) {
      this.database = database;
      return this;
    }

    /**
     * Sets how long one script call may take; 250 ms by default. A call that takes longer counts as
     * a failure and is not retried (it may have run).
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * Sets how long connecting may take; 1 s by default.
     *
     * @param timeout more than zero
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Sets the longest pause between reconnection attempts; 500 ms by default. Bounds the time to
     * notice that Redis is back.
     *
     * @param delay more than zero
     * @return this builder
     */
    public Builder reconnectDelayMax(Duration delay) {
      this.reconnectDelayMax = delay;
      return this;
    }

    /**
     * Lets the store start while Redis is unreachable: decisions follow the failure mode while a
     * background task keeps connecting (at most {@link #reconnectDelayMax} apart). By default a
     * store whose first connection fails is not created, so that a wrong address or password is
     * seen at once.
     *
     * @return this builder
     */
    public Builder connectInBackground() {
      this.connectInBackground = true;
      return this;
    }

    /**
     * Validates and builds the connection settings.
     *
     * @return the settings
     * @throws RedisConfigException if a value breaks a rule
     */
    public RedisConnection build() {
      return new RedisConnection(
          topology,
          endpoints,
          sentinelMaster,
          tls,
          username,
          password,
          database,
          commandTimeout,
          connectTimeout,
          reconnectDelayMax,
          connectInBackground);
    }
  }
}
