package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.http.HeaderDialect;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.redis.RedisStoreConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigLoaderTest {
  private static GatewayConfig parse(String toml) {
    return GatewayConfigLoader.parse(toml, Map.of());
  }

  @Test
  void aCompleteFileIsRead() {
    GatewayConfig config =
        parse(
            """
            [gateway]
            listen = "0.0.0.0:8080"
            upstream = "http://api.internal:9000/v1"
            connect-timeout = "500ms"
            response-timeout = "10s"
            max-request-bytes = 1024

            [admin]
            listen = "127.0.0.1:9191"
            token = "t"

            [headers]
            dialects = "ietf"
            documentation-url = "https://example.com/limits"

            [identity]
            trusted-proxies = ["10.0.0.0/8"]

            [[defaults.limits]]
            id = "per-minute"
            quota = 100
            window = "1m"
            """);

    assertThat(config.listen().getPort()).isEqualTo(8080);
    assertThat(config.upstream().toString()).isEqualTo("http://api.internal:9000/v1");
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxRequestBytes()).isEqualTo(1024);
    assertThat(config.admin().getPort()).isEqualTo(9191);
    assertThat(config.adminToken()).isEqualTo("t");
    assertThat(config.dialect()).isEqualTo(HeaderDialect.IETF);
    assertThat(config.documentationUrl()).isEqualTo("https://example.com/limits");
    assertThat(config.rateLimit().policy().defaults()).hasSize(1);
    assertThat(config.rateLimit().http()).containsKey("identity");
  }

  @Test
  void defaultsAreLoopbackAndBothDialects() {
    GatewayConfig config = parse("[gateway]\nupstream = \"http://localhost:9000\"\n");

    assertThat(config.listen().getHostString()).isEqualTo("127.0.0.1");
    assertThat(config.listen().getPort()).isEqualTo(8080);
    assertThat(config.admin().getPort()).isEqualTo(9090);
    assertThat(config.dialect()).isEqualTo(HeaderDialect.BOTH);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void errorsNameTheKeyAndTheValue() {
    assertThatThrownBy(() -> parse("[gateway]\nlisten = \"127.0.0.1:1\"\n"))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessage("gateway.upstream is required in proxy mode, was absent");
    assertThatThrownBy(() -> parse("[gateway]\nupstream = \"ftp://x\"\n"))
        .hasMessageContaining("gateway.upstream must be an http:// or https:// URI")
        .hasMessageContaining("ftp://x");
    assertThatThrownBy(() -> parse("[gateway]\nupstream = \"http://x\"\nlisten = \"nope\"\n"))
        .hasMessage("gateway.listen must be host:port, was \"nope\"");
    assertThatThrownBy(
            () -> parse("[gateway]\nupstream = \"http://x\"\nlisten = \"127.0.0.1:70000\"\n"))
        .hasMessage("gateway.listen port must be in 0..65535, was \"70000\"");
    assertThatThrownBy(() -> parse("[gateway]\nupstream = \"http://x\"\nretries = 3\n"))
        .hasMessageStartingWith("gateway.retries is not a known key");
    assertThatThrownBy(
            () -> parse("[gateway]\nupstream = \"http://x\"\nresponse-timeout = \"0s\"\n"))
        .hasMessage("gateway.response-timeout must be positive, was \"0s\"");
    assertThatThrownBy(
            () -> parse("[gateway]\nupstream = \"http://x\"\n[headers]\ndialects = \"x\"\n"))
        .hasMessage("headers.dialects must be one of ietf, legacy, both, none, was \"x\"");
    assertThatThrownBy(
            () ->
                parse(
                    "[gateway]\nupstream = \"http://x\"\n"
                        + "[[defaults.limits]]\nid = \"m\"\nquota = 0\nwindow = \"1m\"\n"))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("quota");
  }

  @Test
  void theStoreTableSelectsRedisAndNamesItsErrors() {
    String base = "[gateway]\nupstream = \"http://x\"\n[store]\n";
    assertThat(parse(base + "kind = \"memory\"\n").redis()).isNull();
    assertThat(parse("[gateway]\nupstream = \"http://x\"\n").redis()).isNull();
    assertThat(parse(base + "kind = \"redis\"\nendpoint = \"10.0.0.5:6379\"\n").redis())
        .isNotNull();
    RedisStoreConfig tuned =
        parse(
                base
                    + "kind = \"redis\"\nbreaker-open-delay = \"200ms\"\n"
                    + "reconnect-delay-max = \"100ms\"\n")
            .redis();
    assertThat(tuned.failurePolicy().breaker().openDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(tuned.connection().reconnectDelayMax()).isEqualTo(Duration.ofMillis(100));
    assertThatThrownBy(() -> parse(base + "kind = \"etcd\"\n"))
        .hasMessage("store.kind must be memory or redis, was \"etcd\"");
    assertThatThrownBy(() -> parse(base + "kind = \"redis\"\nfail-mode = \"maybe\"\n"))
        .hasMessage("store.fail-mode must be open, closed or fallback, was \"maybe\"");
    assertThatThrownBy(() -> parse(base + "endpoint = \"h:1\"\n"))
        .hasMessage(
            "store.endpoint applies to kind = \"redis\" only, was set with kind = \"memory\"");
    assertThatThrownBy(() -> parse(base + "kind = \"redis\"\nsentinels = [\"h:26379\"]\n"))
        .hasMessage("store.sentinel-master is required with sentinels");
  }

  @Test
  void theLoggingTableAndTheWatchFlagAreRead() {
    String base = "[gateway]\nupstream = \"http://x\"\n";
    GatewayConfig defaults = parse(base);
    assertThat(defaults.watch()).isFalse();
    assertThat(defaults.logging()).isEqualTo(GatewayConfig.Logging.DEFAULT);

    GatewayConfig set =
        parse(
            "[gateway]\nupstream = \"http://x\"\nwatch = true\n"
                + "[logging]\nallowed-sampling = 100\nevents-per-second = 20\naccess-log = true\n");
    assertThat(set.watch()).isTrue();
    assertThat(set.logging()).isEqualTo(new GatewayConfig.Logging(100, 20, true));

    assertThatThrownBy(() -> parse(base + "[logging]\nevents-per-second = 0\n"))
        .hasMessage("logging.events-per-second must be >= 1, was 0");
    assertThatThrownBy(() -> parse(base + "[logging]\naccess-log = \"yes\"\n"))
        .hasMessage("logging.access-log must be true or false, was \"yes\"");
    assertThatThrownBy(() -> parse(base + "[logging]\nlevel = \"debug\"\n"))
        .hasMessageStartingWith("logging.level is not a known key");
  }

  @Test
  void aRedisUrlGivesTheEndpointPasswordAndDatabase() {
    String base = "[gateway]\nupstream = \"http://x\"\n[store]\nkind = \"redis\"\n";
    assertThat(parse(base + "url = \"redis://:pw@cache.internal:6380/2\"\n").redis().toString())
        .contains("cache.internal:6380");
    assertThat(parse(base + "url = \"redis://cache.internal\"\n").redis().toString())
        .contains("cache.internal:6379");
    assertThatThrownBy(() -> parse(base + "url = \"http://:secret@cache:6379\"\n"))
        .hasMessage(
            "store.url must be redis://[[user]:password@]host[:port][/database] or rediss://...,"
                + " was \"http://***@cache:6379\"");
    assertThat(parse(base + "url = \"rediss://app:pw@cache:6390\"\n").redis().toString())
        .contains("tls")
        .contains("password=***");
    assertThatThrownBy(() -> parse(base + "url = \"redis://cache/x\"\n"))
        .hasMessageStartingWith("store.url must be redis://");
    assertThatThrownBy(() -> parse(base + "url = \"redis://a\"\nendpoint = \"b:1\"\n"))
        .hasMessageStartingWith("store: set one of url, endpoint");
  }
}
