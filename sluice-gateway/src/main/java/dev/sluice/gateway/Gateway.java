package dev.sluice.gateway;

import dev.sluice.http.ClientIdentity;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.JwtVerifier;
import dev.sluice.http.TokenVerifier;
import dev.sluice.http.jetty.RateLimitHandler;
import dev.sluice.metrics.DecisionListeners;
import dev.sluice.metrics.DecisionLog;
import dev.sluice.metrics.LimitStoreMetrics;
import dev.sluice.metrics.PenaltyMetrics;
import dev.sluice.metrics.RateLimitMetrics;
import dev.sluice.metrics.RedisStoreMetrics;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.store.LimitStore;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.redis.RedisStore;
import dev.sluice.time.TimeSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.thread.Invocable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate-limit gateway: a Jetty reverse proxy that applies the HTTP rate-limit layer to every
 * request and forwards what passes to one upstream, plus an admin listener ({@code /metrics},
 * {@code /healthz}, {@code /readyz}, {@code POST /admin/reload}, {@code GET /admin/config}).
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.fromFile(Path.of("gateway.toml"), System.getenv()).start()) {
 *   System.out.println("listening on " + gateway.publicUri());
 *   gateway.awaitStop();
 * }
 * }</pre>
 *
 * <p>{@link #reload()} reads the file again and puts its policy in force atomically; counters of
 * unchanged limits and penalties in progress are kept (with {@code [store] kind = "redis"} the
 * penalties live in Redis, shared by every gateway on it); an invalid file leaves the old policy in
 * force. Identity, token, header and logging settings are swapped with the policy. Listen
 * addresses, mode, upstream, timeouts, the request bound, the admin token and the store apply at
 * the next start; a reload that changes them says so in its log line and in {@code /admin/config}.
 * With {@code gateway.watch = true} a change of the file reloads it too.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  static final String POLICY_TAG = "gateway";

  /** The logger of the access log ({@code logging.access-log = true}). */
  public static final String ACCESS_LOGGER = "dev.sluice.gateway.access";

  private final Path source;
  private final Map<String, String> env;
  private final AtomicReference<HttpRateLimiter> limiter;
  private final RateLimitMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final Server server;
  private final Server adminServer;
  private final AtomicReference<ConfigVersion> version;
  private final ReentrantLock reloading = new ReentrantLock();
  private final Counter reloadsApplied;
  private final Counter reloadsRefused;
  private final GatewayConfig startConfig;
  private final @Nullable RedisStore redis;
  private final TimeSource time;
  private final @Nullable ConfigWatcher watcher;
  private final Invocable.InvocationType decisions;
  private volatile boolean closing;

  /** The configuration in force: its number (1 at start), when it was loaded, what it says. */
  record ConfigVersion(
      int number, Instant loadedAt, GatewayConfig config, List<String> restartRequired) {}

  private Gateway(GatewayConfig config, Path source, Map<String, String> env, TimeSource time) {
    this.time = time;
    this.startConfig = config;
    this.source = source;
    this.env = env;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = RateLimitMetrics.builder(POLICY_TAG).build();
    LimitStore store;
    if (config.redis() == null) {
      store = MemoryStore.withMaxKeys(config.rateLimit().maxKeys());
      this.redis = null;
    } else {
      RedisStoreMetrics redisMetrics = new RedisStoreMetrics("redis");
      this.redis = RedisStore.create(config.redis().withListener(redisMetrics), time);
      store = redis;
      redisMetrics.track(redis).bindTo(registry);
    }
    HttpRateLimiter.Builder builder =
        HttpRateLimiter.builder(config.rateLimit())
            .limiter(RateLimiter.builder().store(store).timeSource(time).build());
    if (redis != null) {
      // penalties follow a client from gateway to gateway; a reload keeps the enforcer and its
      // store
      builder.penalties(redis.penalties(config.rateLimit().maxPenalizedClients()));
    }
    HttpRateLimiter first = settings(builder, config).build();
    this.limiter = new AtomicReference<>(first);
    metrics.bindTo(registry);
    new PenaltyMetrics(first.enforcer(), POLICY_TAG).bindTo(registry);
    new LimitStoreMetrics(store, redis == null ? "memory" : "redis").bindTo(registry);
    this.reloadsApplied =
        Counter.builder("sluice.gateway.reloads")
            .description("Configuration reloads, by result")
            .tag("result", "applied")
            .register(registry);
    this.reloadsRefused =
        Counter.builder("sluice.gateway.reloads")
            .description("Configuration reloads, by result")
            .tag("result", "refused")
            .register(registry);
    this.version = new AtomicReference<>(new ConfigVersion(1, time.now(), config, List.of()));

    // decisions that never wait (in memory, tokens checked with a local key) let Jetty run a
    // request on its I/O thread from the first byte to the proxied response: no hand-over
    this.decisions =
        config.redis() == null && !tokensMayBlock(config)
            ? Invocable.InvocationType.NON_BLOCKING
            : Invocable.InvocationType.BLOCKING;
    this.server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(config.listen().getHostString());
    connector.setPort(config.listen().getPort());
    server.addConnector(connector);
    SizeLimitHandler sizeLimit = new SizeLimitHandler(config.maxRequestBytes(), -1);
    if (config.mode() == GatewayConfig.Mode.CHECK) {
      sizeLimit.setHandler(new CheckHandler(limiter::get, decisions));
    } else {
      UpstreamProxy proxy =
          new UpstreamProxy(config.upstream(), config.connectTimeout(), config.responseTimeout());
      sizeLimit.setHandler(new RateLimitHandler(limiter::get, proxy, decisions));
    }
    server.setHandler(sizeLimit);
    if (config.logging().accessLog()) {
      server.setRequestLog(
          new CustomRequestLog(
              new Slf4jRequestLogWriter() {
                {
                  setLoggerName(ACCESS_LOGGER);
                }
              },
              CustomRequestLog.EXTENDED_NCSA_FORMAT));
    }
    server.setStopTimeout(10_000);

    this.adminServer = new Server();
    ServerConnector admin = new ServerConnector(adminServer);
    admin.setHost(config.admin().getHostString());
    admin.setPort(config.admin().getPort());
    adminServer.addConnector(admin);
    adminServer.setHandler(new AdminHandler(this, config.adminToken()));
    this.watcher =
        config.watch() && source != null ? new ConfigWatcher(source, this::reloadQuietly) : null;
  }

  /** Whether verifying a token may wait: a JWKS fetch, or a verifier built in code. */
  private static boolean tokensMayBlock(GatewayConfig config) {
    TokenVerifier tokens = config.tokens();
    return tokens != null && !(tokens instanceof JwtVerifier jwt && !jwt.fetchesKeys());
  }

  /**
   * How the gateway's decisions run: {@code NON_BLOCKING} (on Jetty's I/O threads) with the
   * in-memory store and tokens verified with a local key, otherwise {@code BLOCKING}.
   *
   * @return the invocation type of the decisions, fixed at start
   */
  Invocable.InvocationType decisions() {
    return decisions;
  }

  /** The public server's invocation type as Jetty computed it at start, from its handlers. */
  Invocable.InvocationType publicInvocationType() {
    return server.getInvocationType();
  }

  /** The identity, token, header and logging settings of a configuration, on a builder. */
  private HttpRateLimiter.Builder settings(HttpRateLimiter.Builder b, GatewayConfig config) {
    if (config.tokens() != null) {
      b.tokens(config.tokens());
    }
    GatewayConfig.Logging logging = config.logging();
    DecisionLog log =
        DecisionLog.builder()
            .timeSource(time)
            .allowedSampling(logging.allowedSampling())
            .budget(logging.eventsPerSecond(), Duration.ofSeconds(1))
            .build();
    return b.onInvalidToken(config.onInvalidToken())
        .dialect(config.dialect())
        .documentationUrl(config.documentationUrl())
        .listener(DecisionListeners.all(metrics, log));
  }

  /**
   * A gateway for a configuration built in code; {@link #reload()} then has no file to read.
   *
   * @param config the configuration
   * @return the gateway, not started
   */
  public static Gateway of(GatewayConfig config) {
    return of(config, TimeSource.system());
  }

  /**
   * A gateway for a configuration built in code, on a time source of its own (every limit, the
   * Redis store and the reload times read it).
   *
   * @param config the configuration
   * @param time the time source
   * @return the gateway, not started
   */
  public static Gateway of(GatewayConfig config, TimeSource time) {
    return new Gateway(
        Objects.requireNonNull(config, "config"),
        null,
        Map.of(),
        Objects.requireNonNull(time, "time"));
  }

  /**
   * A gateway for a configuration file, which {@link #reload()} reads again.
   *
   * @param file the {@code gateway.toml}
   * @param env environment variables that override the file's rate-limit values
   * @return the gateway, not started
   * @throws RateLimitConfigException if the file cannot be read or breaks a rule
   */
  public static Gateway fromFile(Path file, Map<String, String> env) {
    return new Gateway(
        GatewayConfigLoader.load(file, env), file, Map.copyOf(env), TimeSource.system());
  }

  /**
   * Starts both listeners.
   *
   * @return this gateway
   * @throws GatewayException if a listener cannot be opened
   */
  public Gateway start() {
    try {
      server.start();
      adminServer.start();
      if (watcher != null) {
        watcher.start();
      }
    } catch (Exception e) {
      close();
      throw new GatewayException("the gateway could not start: " + e.getMessage(), e);
    }
    LOG.atInfo()
        .addKeyValue("public", publicUri())
        .addKeyValue("admin", adminUri())
        .addKeyValue("mode", startConfig.mode())
        .addKeyValue("upstream", startConfig.upstream())
        .log("gateway started");
    return this;
  }

  /**
   * The public address, with the port actually bound.
   *
   * @return {@code http://host:port}
   */
  public URI publicUri() {
    return uri(server);
  }

  /**
   * The admin address, with the port actually bound.
   *
   * @return {@code http://host:port}
   */
  public URI adminUri() {
    return uri(adminServer);
  }

  private static URI uri(Server server) {
    ServerConnector connector = (ServerConnector) server.getConnectors()[0];
    String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + connector.getLocalPort());
  }

  /**
   * The limiter the gateway applies, for its enforcer and policy.
   *
   * @return the limiter
   */
  public HttpRateLimiter limiter() {
    return limiter.get();
  }

  /**
   * The Prometheus text exposition of every meter, as {@code /metrics} serves it.
   *
   * @return the scrape
   */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * The number of the configuration in force: 1 at start, one more for every applied reload.
   *
   * @return the version number
   */
  public int configVersion() {
    return version.get().number();
  }

  ConfigVersion version() {
    return version.get();
  }

  /**
   * Reads the configuration file again and puts its policy in force. An invalid file changes
   * nothing: the error is logged, counted ({@code sluice.gateway.reloads{result="refused"}}) and
   * thrown.
   *
   * @return the version now in force
   * @throws RateLimitConfigException if the file is invalid; the old policy stays in force
   * @throws GatewayException if the gateway was built without a file
   */
  public int reload() {
    if (source == null) {
      throw new GatewayException("this gateway was built from code: there is no file to reload");
    }
    reloading.lock();
    try {
      GatewayConfig next;
      try {
        next = GatewayConfigLoader.load(source, env);
      } catch (RateLimitConfigException e) {
        refused(e);
        throw e;
      }
      if (decisions == Invocable.InvocationType.NON_BLOCKING && tokensMayBlock(next)) {
        RateLimitConfigException e =
            new RateLimitConfigException(
                "jwt.jwks-url needs a restart: this gateway started without a key set to fetch and"
                    + " decides on its I/O threads, which a fetch must not block; was "
                    + "a JWKS URL in the new file");
        refused(e);
        throw e;
      }
      HttpRateLimiter current = limiter.get();
      List<String> restart = RestartKeys.changed(version.get().config(), next);
      HttpRateLimiter replacement;
      try {
        // identity tables are checked here, so a refusal still changes nothing
        replacement =
            settings(
                    HttpRateLimiter.builder(current.enforcer())
                        .identity(ClientIdentity.from(next.rateLimit())),
                    next)
                .build();
      } catch (RateLimitConfigException e) {
        refused(e);
        throw e;
      }
      current.enforcer().reload(next.rateLimit().policy());
      limiter.set(replacement);
      ConfigVersion applied =
          new ConfigVersion(version.get().number() + 1, time.now(), next, restart);
      version.set(applied);
      reloadsApplied.increment();
      LOG.atInfo()
          .addKeyValue("file", source)
          .addKeyValue("version", applied.number())
          .addKeyValue("restart_required", restart)
          .log(
              restart.isEmpty()
                  ? "configuration reloaded"
                  : "configuration reloaded; changes to "
                      + String.join(", ", restart)
                      + " apply at the next start");
      return applied.number();
    } finally {
      reloading.unlock();
    }
  }

  private void refused(RateLimitConfigException e) {
    reloadsRefused.increment();
    LOG.atWarn()
        .addKeyValue("file", source)
        .addKeyValue("error", e.getMessage())
        .addKeyValue("version", configVersion())
        .log("configuration reload refused; the configuration in force stays");
  }

  /** A reload the file watcher asked for: a refusal is logged and counted, not thrown. */
  private void reloadQuietly() {
    try {
      reload();
    } catch (RateLimitConfigException e) {
      // logged and counted by reload
    }
  }

  /**
   * Whether the gateway decides requests as configured, and why: what {@code GET /readyz} answers
   * (see {@link Readiness}). With Redis, it sends one PING.
   */
  Readiness readiness() {
    return Readiness.of(closing, redis);
  }

  /**
   * Blocks until the gateway stops.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitStop() throws InterruptedException {
    server.join();
  }

  /**
   * Stops accepting, lets requests in flight finish (up to 10 s), then stops both listeners; {@code
   * /readyz} answers 503 meanwhile.
   */
  @Override
  public void close() {
    closing = true;
    if (watcher != null) {
      watcher.close();
    }
    stopQuietly(server);
    stopQuietly(adminServer);
    if (redis != null) {
      redis.close();
    }
    registry.close();
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("a gateway listener did not stop cleanly", e);
    }
  }

  InetSocketAddress listen() {
    return startConfig.listen();
  }
}
