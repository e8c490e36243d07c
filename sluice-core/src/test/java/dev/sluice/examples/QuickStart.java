package dev.sluice.examples;

import dev.sluice.time.Durations;
import dev.sluice.time.ManualTimeSource;
import dev.sluice.time.TimeSource;
import java.time.Duration;

/**
 * The README's first command runs this: a minimal use of the library that works on a fresh
 * checkout. Run it with {@code mvn -B -q -pl sluice-core test-compile exec:exec@quickstart}.
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Parses durations the way every Sluice config does, then shows the time source that every Sluice
   * component waits through.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while sleeping
   */
  public static void main(String[] args) throws InterruptedException {
    for (String text : new String[] {"250ms", "90m", "P2DT8H", "1m30s500ms"}) {
      Duration parsed = Durations.parse(text);
      System.out.printf("%-12s -> %-10s (%s)%n", text, Durations.format(parsed), parsed);
    }
    try {
      Durations.parse("1m1h");
    } catch (IllegalArgumentException rejected) {
      System.out.println("rejected: " + rejected.getMessage());
    }

    TimeSource real = TimeSource.system();
    long start = real.nanoTime();
    real.sleep(Duration.ofMillis(50));
    System.out.printf("system time source slept %d ms%n", (real.nanoTime() - start) / 1_000_000);

    ManualTimeSource manual = new ManualTimeSource();
    manual.advance(Durations.parse("1h30m"));
    System.out.println("manual time source after advancing 1h30m: " + manual.now());
  }
}
