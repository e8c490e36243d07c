package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLearnerTest {
  private static final String API = "api.example.com";
  private final ManualTimeSource time = new ManualTimeSource();

  private RateLearner.Builder enabled() {
    return RateLearner.builder().enabled(true).timeSource(time);
  }

  private static void throttle(RateLearner learner, String provider, int times) {
    for (int i = 0; i < times; i++) {
      learner.recordThrottled(provider);
    }
  }

  @Test
  void aLearnerIsOffUnlessEnabled() {
    RateLearner learner = RateLearner.builder().timeSource(time).build();
    throttle(learner, API, 20);
    assertThat(learner.enabled()).isFalse();
    assertThat(learner.allowedRate(API, 50)).isEqualTo(50);
    assertThat(learner.provider(API)).isEmpty();
  }

  @ParameterizedTest(name = "{0} throttles in a row allow {1} of the configured rate")
  @CsvSource({"1, 1.0", "2, 1.0", "3, 0.9", "4, 0.9", "5, 0.8", "9, 0.8", "10, 0.7", "25, 0.7"})
  void consecutiveThrottlesLowerTheRateByTheTable(int streak, double factor) {
    RateLearner learner = enabled().build();
    throttle(learner, API, streak);
    assertThat(learner.provider(API).orElseThrow().throttleStreak()).isEqualTo(streak);
    assertThat(learner.allowedRate(API, 100)).isCloseTo(100 * factor, within(1e-9));
  }

  @Test
  void providersAreLearnedSeparately() {
    RateLearner learner = enabled().build();
    throttle(learner, API, 10);
    assertThat(learner.allowedRate("other", 100)).isEqualTo(100);
  }

  @Test
  void aSuccessEndsTheStreakAndTheRateClimbsBackByFivePercentPerTenSeconds() {
    RateLearner learner = enabled().build();
    throttle(learner, API, 10);
    learner.recordSuccess(API);
    assertThat(learner.provider(API).orElseThrow().throttleStreak()).isZero();
    assertThat(learner.allowedRate(API, 100)).isCloseTo(70, within(1e-9));
    time.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(learner.allowedRate(API, 100)).isCloseTo(70, within(1e-9));
    time.advanceNanos(1);
    assertThat(learner.allowedRate(API, 100)).isCloseTo(75, within(1e-9));
    time.advance(Duration.ofSeconds(50));
    assertThat(learner.allowedRate(API, 100)).isEqualTo(100);
    time.advance(Duration.ofHours(1));
    assertThat(learner.allowedRate(API, 100)).isEqualTo(100);
  }

  @Test
  void aThrottleDuringTheClimbStopsItWhereItGot() {
    RateLearner learner = enabled().build();
    throttle(learner, API, 10);
    learner.recordSuccess(API);
    time.advance(Duration.ofSeconds(20));
    learner.recordThrottled(API);
    time.advance(Duration.ofSeconds(60));
    assertThat(learner.allowedRate(API, 100)).isCloseTo(80, within(1e-9));
    throttle(learner, API, 2);
    assertThat(learner.allowedRate(API, 100))
        .as("3 in a row: 90% is above 80%")
        .isCloseTo(80, within(1e-9));
  }

  @Test
  void theRateNeverDropsBelowOneRequestPerSecond() {
    RateLearner learner = enabled().build();
    throttle(learner, API, 10);
    assertThat(learner.allowedRate(API, 1.2)).isEqualTo(1.0);
    assertThat(learner.allowedRate(API, 0.5)).as("never above the configured rate").isEqualTo(0.5);
  }

  @Test
  void theRateNeverDropsBelowTwentyPercentOfTheConfiguredRate() {
    RateLearner learner = enabled().reduction(1, 0.95).build();
    throttle(learner, API, 1);
    assertThat(learner.rateFactor(API)).isEqualTo(0.2);
    assertThat(learner.allowedRate(API, 100)).isCloseTo(20, within(1e-9));
  }

  @Test
  void atMostFiftyRecentEventsAreKeptPerProvider() {
    RateLearner learner = enabled().build();
    throttle(learner, API, 60);
    learner.recordSuccess(API);
    List<RateEvent> events = learner.provider(API).orElseThrow().recentEvents();
    assertThat(events).hasSize(50);
    assertThat(events.get(49).kind()).isEqualTo(RateEvent.Kind.SUCCESS);
  }

  @Test
  void theLeastRecentlyUsedProviderIsForgottenBeyondTheBound() {
    RateLearner learner = enabled().maxProviders(2).build();
    throttle(learner, "a", 3);
    throttle(learner, "b", 3);
    learner.allowedRate("a", 10);
    learner.rateFactor("a");
    throttle(learner, "c", 3);
    assertThat(learner.providers()).containsExactly("a", "c");
  }

  @Test
  void theLearnedStateSurvivesARestartThroughTheFile(@TempDir Path dir) {
    Path file = dir.resolve("rates.json");
    RateLearner first = enabled().persistTo(file).build();
    throttle(first, API, 4);
    throttle(first, "slow \"provider\"", 10);
    first.recordSuccess("slow \"provider\"");
    time.advance(Duration.ofSeconds(10));

    RateLearner second = enabled().persistTo(file).build();
    assertThat(second.provider(API)).isEqualTo(first.provider(API));
    assertThat(second.provider("slow \"provider\"")).isEqualTo(first.provider("slow \"provider\""));
    assertThat(second.allowedRate("slow \"provider\"", 100)).isCloseTo(75, within(1e-9));
    time.advance(Duration.ofSeconds(10));
    assertThat(second.allowedRate("slow \"provider\"", 100)).isCloseTo(80, within(1e-9));
  }

  @Test
  void aCorruptFileIsIgnoredAndReplacedByAGoodOne(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rates.json");
    for (String corrupt :
        List.of(
            "{not json",
            "",
            "[]",
            "{\"version\":1,\"providers\":{\"x\":{\"streak\":-3,\"reducedFactor\":0.5}}}",
            "{\"version\":99,\"providers\":{}}",
            "{\"version\":1,\"providers\":{\"x\":{\"streak\":1,\"reducedFactor\":0.9,"
                + "\"events\":[{\"at\":\"yesterday\",\"kind\":\"THROTTLED\"}]}}}")) {
      Files.writeString(file, corrupt);
      RateLearner learner = enabled().persistTo(file).build();
      assertThat(learner.providers()).as(corrupt).isEmpty();
      throttle(learner, API, 3);
      assertThat(enabled().persistTo(file).build().rateFactor(API)).isCloseTo(0.9, within(1e-9));
    }
  }

  @Test
  void writesLeaveNoTemporaryFilesBehind(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rates.json");
    RateLearner learner = enabled().persistTo(file).build();
    throttle(learner, API, 20);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void concurrentThrottlesAreAllCounted() throws Exception {
    RateLearner learner = enabled().build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> throttle(learner, API, 1_000)));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(learner.provider(API).orElseThrow().throttleStreak()).isEqualTo(8_000);
    assertThat(learner.provider(API).orElseThrow().recentEvents()).hasSize(50);
  }
}
