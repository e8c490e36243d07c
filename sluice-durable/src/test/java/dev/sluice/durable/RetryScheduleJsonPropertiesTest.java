package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.retry.Backoff;
import dev.sluice.retry.Jitter;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The retry schedule stored with an execution reads back as exactly the schedule written. */
class RetryScheduleJsonPropertiesTest {

  @Property
  void storedScheduleReadsBackEqual(@ForAll("schedules") RetrySchedule schedule) {
    assertThat(RetryScheduleJson.read(RetryScheduleJson.write(schedule))).isEqualTo(schedule);
  }

  @Property(tries = 50)
  void garbageIsRejectedWithTheStoredTextInTheMessage(@ForAll("garbage") String text) {
    assertThatThrownBy(() -> RetryScheduleJson.read(text))
        .isInstanceOf(DurableException.class)
        .hasMessageContaining("retry schedule");
  }

  @Provide
  Arbitrary<String> garbage() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.of(
            "{}", "[]", "null", "{\"maxAttempts\":2}", "{\"backoff\":{\"type\":\"x\"}}"));
  }

  @Provide
  Arbitrary<RetrySchedule> schedules() {
    Arbitrary<Duration> millis = Arbitraries.longs().between(1, 86_400_000).map(Duration::ofMillis);
    Arbitrary<Jitter> jitter =
        Arbitraries.oneOf(
            Arbitraries.of(Jitter.NONE, Jitter.FULL),
            Arbitraries.doubles().between(0, 1).map(Jitter::factor));
    Arbitrary<Backoff> fixed = Combinators.combine(millis, jitter).as(Backoff.Fixed::new);
    Arbitrary<Backoff> exponential =
        Combinators.combine(
                millis,
                Arbitraries.doubles().between(1, 10),
                Arbitraries.longs().between(0, 86_400_000),
                Arbitraries.oneOf(jitter, Arbitraries.just(Jitter.DECORRELATED)))
            .as(
                (initial, multiplier, extra, j) ->
                    new Backoff.Exponential(initial, multiplier, initial.plusMillis(extra), j));
    return Combinators.combine(
            Arbitraries.integers().between(1, 100),
            Arbitraries.oneOf(millis.map(d -> d), Arbitraries.just((Duration) null)),
            Arbitraries.oneOf(fixed, exponential),
            millis,
            Arbitraries.of(RetrySchedule.OverMaxDelay.class))
        .as(RetrySchedule::new);
  }
}
