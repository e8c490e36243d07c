package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationProfilesTest {
  private static final IOException FAILURE = new IOException("down");

  private static RetryDecision firstDecision(OperationType type) {
    return OperationProfiles.presets()
        .get(type)
        .policy()
        .decide(1, Duration.ZERO, FAILURE, null, null);
  }

  @Test
  void downloadRetriesAggressively() {
    OperationProfile download = OperationProfile.preset(OperationType.DOWNLOAD);
    assertThat(download.strategy()).isEqualTo(OperationProfile.Strategy.RETRY);
    assertThat(download.schedule().maxAttempts())
        .isGreaterThan(OperationProfile.preset(OperationType.EXTRACT).schedule().maxAttempts());
    assertThat(firstDecision(OperationType.DOWNLOAD)).isInstanceOf(RetryDecision.Retry.class);
  }

  @Test
  void validateAndManifestFetchAreDeferredNotRetriedAtOnce() {
    for (OperationType type : List.of(OperationType.VALIDATE, OperationType.MANIFEST_FETCH)) {
      OperationProfile profile = OperationProfile.preset(type);
      assertThat(profile.strategy()).isEqualTo(OperationProfile.Strategy.DEFER);
      assertThat(profile.deferDelay()).isPositive();
      assertThat(firstDecision(type))
          .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.MAX_ATTEMPTS));
    }
  }

  @Test
  void resolveFailsOverAndExtractRetriesAsStandard() {
    assertThat(OperationProfile.preset(OperationType.RESOLVE).strategy())
        .isEqualTo(OperationProfile.Strategy.FAILOVER);
    assertThat(OperationProfile.preset(OperationType.EXTRACT).schedule().maxAttempts())
        .isEqualTo(3);
  }

  @Test
  void aPresetCanBeOverridden() {
    OperationProfiles profiles =
        OperationProfiles.presets()
            .with(OperationProfile.preset(OperationType.DOWNLOAD).withMaxAttempts(10))
            .with(
                OperationProfile.preset(OperationType.VALIDATE)
                    .withDeferDelay(Duration.ofMinutes(30)));
    assertThat(profiles.get(OperationType.DOWNLOAD).schedule().maxAttempts()).isEqualTo(10);
    assertThat(profiles.get(OperationType.VALIDATE).deferDelay()).isEqualTo(Duration.ofMinutes(30));
    assertThat(profiles.get(OperationType.EXTRACT))
        .isEqualTo(OperationProfile.preset(OperationType.EXTRACT));
  }

  @Test
  void failoverTriesAlternativesInOrderUntilOneSucceeds() {
    ManualTimeSource time = new ManualTimeSource();
    RetryPolicy once = RetryPolicy.builder().maxAttempts(1).timeSource(time).build();
    List<String> tried = new ArrayList<>();
    String result =
        Failover.<String>firstSuccess(
            List.of(
                () -> {
                  tried.add("primary");
                  throw new IOException("primary down");
                },
                () -> {
                  tried.add("mirror");
                  return "from mirror";
                },
                () -> {
                  tried.add("last");
                  return "unused";
                }),
            once);
    assertThat(result).isEqualTo("from mirror");
    assertThat(tried).containsExactly("primary", "mirror");
  }

  @Test
  void failoverThrowsTheLastFailureWithTheEarlierOnesSuppressed() {
    RetryPolicy once = RetryPolicy.builder().maxAttempts(1).build();
    IllegalStateException first = new IllegalStateException("a");
    IllegalStateException second = new IllegalStateException("b");
    assertThatThrownBy(
            () ->
                Failover.<String>firstSuccess(
                    List.of(
                        () -> {
                          throw first;
                        },
                        () -> {
                          throw second;
                        }),
                    once))
        .isSameAs(second)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(first));
  }
}
