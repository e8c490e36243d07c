package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.Rule;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class DecisionLogTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final Logger logger = (Logger) LoggerFactory.getLogger("test.decisions");
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeEach
  void capture() {
    events.start();
    logger.addAppender(events);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
  }

  @AfterEach
  void release() {
    logger.detachAppender(events);
  }

  private HttpRateLimiter limiter(DecisionLog log) {
    Policy policy =
        Policy.builder()
            .rule(
                Rule.builder("search")
                    .path("/search")
                    .limits(List.of(Limit.of("search", 3, Duration.ofMinutes(1))))
                    .build())
            .build();
    return HttpRateLimiter.builder(policy)
        .limiter(RateLimiter.builder().timeSource(time).build())
        .listener(log)
        .build();
  }

  private static HttpRequestView search(String peer) {
    return HttpRequestView.of("GET", "/search", peer, Map.of());
  }

  private static Map<String, Object> fields(ILoggingEvent event) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValuePair kv : event.getKeyValuePairs()) {
      out.put(kv.key, kv.value);
    }
    return out;
  }

  @Test
  void aRefusedRequestIsOneEventWithEveryField() {
    HttpRateLimiter limiter =
        limiter(DecisionLog.builder().logger(logger).timeSource(time).build());
    for (int i = 0; i < 4; i++) {
      limiter.decide(search("203.0.113.7"));
    }
    assertThat(events.list).hasSize(1);
    ILoggingEvent refused = events.list.get(0);
    assertThat(refused.getLevel()).isEqualTo(Level.INFO);
    assertThat(refused.getMessage()).isEqualTo("request refused by rate limit");
    Map<String, Object> fields = fields(refused);
    assertThat(fields)
        .containsEntry("client_id", "ip:203.0.113.7")
        .containsEntry("method", "GET")
        .containsEntry("endpoint", "/search")
        .containsEntry("outcome", "denied")
        .containsEntry("rule", "search")
        .containsEntry("tier", "anonymous")
        .containsEntry("limit", "search")
        .containsEntry("quota", 3L)
        .containsEntry("current_count", 3L)
        .containsEntry("remaining", 0L)
        .containsEntry("penalty_level", 0)
        .containsKey("retry_after_seconds");
    assertThat((Long) fields.get("retry_after_seconds")).isBetween(1L, 60L);
  }

  @Test
  void aRequestThatMatchedNoRuleHasNoRuleFieldRatherThanNull() {
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(
                Policy.builder()
                    .defaults(List.of(Limit.of("per-minute", 1, Duration.ofMinutes(1))))
                    .build())
            .limiter(RateLimiter.builder().timeSource(time).build())
            .listener(DecisionLog.builder().logger(logger).timeSource(time).build())
            .build();
    limiter.decide(search("203.0.113.8"));
    limiter.decide(search("203.0.113.8"));

    assertThat(events.list).hasSize(1);
    assertThat(fields(events.list.get(0)))
        .doesNotContainKey("rule")
        .containsEntry("limit", "per-minute")
        .doesNotContainValue(null);
  }

  @Test
  void allowedRequestsAreSampledOneInN() {
    HttpRateLimiter limiter =
        limiter(DecisionLog.builder().logger(logger).timeSource(time).allowedSampling(2).build());
    for (int client = 0; client < 6; client++) {
      limiter.decide(search("198.51.100." + client));
    }
    assertThat(events.list).hasSize(3);
    assertThat(events.list)
        .allSatisfy(e -> assertThat(e.getMessage()).isEqualTo("request allowed (sampled)"));
    assertThat(fields(events.list.get(0))).containsEntry("remaining", 2L);
  }

  @Test
  void aFloodOfRefusalsIsCappedPerPeriodAndTheDroppedAreSummarized() {
    HttpRateLimiter limiter =
        limiter(
            DecisionLog.builder()
                .logger(logger)
                .timeSource(time)
                .budget(5, Duration.ofSeconds(1))
                .build());
    for (int i = 0; i < 3; i++) {
      limiter.decide(search("203.0.113.9"));
    }
    for (int i = 0; i < 100; i++) {
      limiter.decide(search("203.0.113.9"));
    }
    assertThat(events.list).hasSize(5);

    time.advance(Duration.ofSeconds(1));
    limiter.decide(search("203.0.113.9"));
    assertThat(events.list).hasSize(7);
    ILoggingEvent summary = events.list.get(5);
    assertThat(summary.getLevel()).isEqualTo(Level.WARN);
    assertThat(fields(summary)).containsEntry("dropped", 95L).containsEntry("period_seconds", 1.0);
    assertThat(events.list.get(6).getMessage()).isEqualTo("request refused by rate limit");
  }
}
