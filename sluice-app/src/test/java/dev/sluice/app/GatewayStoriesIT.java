package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's US2 (per-endpoint limits), US6 (metrics and JSON logs) and US7 (headers on 200, 429
 * and an upstream 5xx) through one {@code sluice gateway} process; each story has a rule of its
 * own, and each rule counts separately.
 */
class GatewayStoriesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RULES =
      """
      [[rules]]
      id = "health"
      path = "/health"
      limits = [{ id = "per-day", quota = 1000, window = "1d" }]

      [[rules]]
      id = "compute"
      path = "/compute/**"
      limits = [{ id = "per-day", quota = 10, window = "1d" }]

      [[rules]]
      id = "observed"
      path = "/observed/**"
      limits = [{ id = "per-day", quota = 2, window = "1d" }]

      [[rules]]
      id = "headers"
      path = "/headers/**"
      limits = [{ id = "per-day", quota = 3, window = "1d" }]

      [[rules]]
      id = "failing"
      path = "/fail"
      limits = [{ id = "per-day", quota = 5, window = "1d" }]

      [logging]
      access-log = true
      """;

  @TempDir static Path dir;
  private static TestUpstream upstream;
  private static GatewayProcess gateway;

  @BeforeAll
  static void start() throws Exception {
    upstream = new TestUpstream();
    gateway =
        GatewayProcess.start(
            "gateway",
            GatewayToml.write(
                dir.resolve("gateway.toml"), upstream.uri(), GatewayToml.perDay(100) + RULES));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void us2EachEndpointHasItsOwnLimitAndCounter() throws Exception {
    assertThat(gateway.passed("/health", 15)).as("%s", gateway).isEqualTo(15);
    assertThat(gateway.passed("/compute/sum", 10)).isEqualTo(10);
    HttpResponse<String> eleventh = gateway.get("/compute/product");
    assertThat(eleventh.statusCode()).isEqualTo(429);
    assertThat(eleventh.headers().firstValue("X-RateLimit-Limit")).hasValue("10");
    assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/health").headers().firstValue("X-RateLimit-Limit")).hasValue("1000");
  }

  @Test
  void us6MetricsCountDecisionsAndEachRefusalIsOneJsonLogLineWithTheSpecsFields() throws Exception {
    assertThat(gateway.passed("/observed/a", 3)).as("%s", gateway).isEqualTo(2);

    String rule = "rule=\"observed\"";
    assertThat(gateway.sum("sluice_ratelimit_decisions_total", rule, "outcome=\"allowed\""))
        .as("%s", gateway.metrics())
        .isEqualTo(2);
    assertThat(gateway.sum("sluice_ratelimit_decisions_total", rule, "outcome=\"denied\""))
        .isEqualTo(1);

    await("the refusal's log line; " + gateway)
        .atMost(Duration.ofSeconds(10))
        .until(() -> refusals("/observed/a").size() == 1);
    JsonNode line = refusals("/observed/a").get(0);
    JsonNode fields = fields(line);
    assertThat(fields.get("client_id").asText()).isEqualTo("ip:127.0.0.1");
    assertThat(fields.get("endpoint").asText()).isEqualTo("/observed/a");
    assertThat(fields.get("rule").asText()).isEqualTo("observed");
    assertThat(fields.get("limit").asText()).isEqualTo("per-day");
    assertThat(fields.get("quota").asLong()).isEqualTo(2);
    assertThat(fields.get("current_count").asLong()).isEqualTo(2);
    assertThat(fields.get("remaining").asLong()).isZero();
    assertThat(fields.get("retry_after_seconds").asLong()).isPositive();
    assertThat(line.get("level").asText()).isNotBlank();
  }

  @Test
  void us7HeadersOn200On429AndOnAnUpstream5xx() throws Exception {
    HttpResponse<String> ok = gateway.get("/headers/x");
    assertThat(ok.statusCode()).as("%s", gateway).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("hello");
    assertThat(ok.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
    assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).hasValue("2");
    assertThat(ok.headers().firstValue("X-RateLimit-Reset")).isPresent();
    assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValue("\"per-day\";q=3;w=86400");
    assertThat(ok.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"per-day\";r=2;");
    assertThat(ok.headers().firstValue("Retry-After")).isEmpty();

    HttpResponse<String> failed = gateway.get("/fail");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).isEqualTo("upstream failed");
    assertThat(failed.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
    assertThat(failed.headers().firstValue("X-RateLimit-Remaining")).hasValue("4");
    assertThat(failed.headers().firstValue("RateLimit")).isPresent();

    gateway.get("/headers/x");
    gateway.get("/headers/x");
    HttpResponse<String> refused = gateway.get("/headers/x");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
    assertThat(refused.headers().firstValue("X-RateLimit-Reset")).isPresent();
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 86_400L);
    assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    JsonNode body = JSON.readTree(refused.body());
    assertThat(body.get("status").asInt()).isEqualTo(429);
    assertThat(body.get("retry-after").asLong()).isEqualTo(retryAfter);
    assertThat(body.get("violated-policies").get(0).asText()).isEqualTo("per-day");
    assertThat(body.at("/limits/0/quota").asLong()).isEqualTo(3);
    assertThat(body.at("/limits/0/remaining").asLong()).isZero();
  }

  @Test
  void theAccessLogWritesOneJsonLinePerRequestWithItsLineAndStatusWhenTurnedOn() throws Exception {
    assertThat(gateway.get("/health?probe=access-log").statusCode()).isEqualTo(200);
    await("the request's access log line; " + gateway)
        .atMost(Duration.ofSeconds(10))
        .until(() -> accessLines("/health?probe=access-log").size() == 1);
    String message = accessLines("/health?probe=access-log").get(0);
    assertThat(message).contains("\"GET /health?probe=access-log HTTP/1.1\" 200 ");
    assertThat(message).startsWith("127.0.0.1 ");
  }

  /** The messages of the access log's lines that name {@code target}. */
  private static List<String> accessLines(String target) {
    return gateway.output().stream()
        .filter(l -> l.startsWith("{") && l.contains("dev.sluice.gateway.access"))
        .map(GatewayStoriesIT::parse)
        .filter(json -> "dev.sluice.gateway.access".equals(json.path("loggerName").asText()))
        .map(json -> json.path("message").asText())
        .filter(message -> message.contains(target))
        .toList();
  }

  /** The decision log's refusals of {@code path}, each a JSON object of its own line. */
  private static List<JsonNode> refusals(String path) {
    return gateway.output().stream()
        .filter(l -> l.startsWith("{") && l.contains("request refused by rate limit"))
        .map(GatewayStoriesIT::parse)
        .filter(json -> path.equals(fields(json).path("endpoint").asText()))
        .toList();
  }

  /** The key-value pairs of a Logback JSON event, as one object. */
  private static JsonNode fields(JsonNode event) {
    var merged = JSON.createObjectNode();
    for (JsonNode pair : event.path("kvpList")) {
      pair.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
    }
    return merged;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not one JSON object: " + line, e);
    }
  }
}
