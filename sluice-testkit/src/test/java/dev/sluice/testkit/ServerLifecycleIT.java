package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servers started by the fixtures do not outlive the JVM that started them: not when it exits early
 * (shutdown hook), and not when it is SIGKILLed (the next fixture start reaps the orphan).
 */
class ServerLifecycleIT {
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration GONE_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern PID = Pattern.compile("^pid (\\d+)$", Pattern.MULTILINE);

  @TempDir Path directory;

  @ParameterizedTest
  @ValueSource(strings = {"redis", "postgres"})
  void aChildJvmThatExitsMidTestLeavesNoServer(String fixture) throws Exception {
    Child child = Child.start(directory, fixture, "exit");
    long server = child.awaitServerPid();
    child.awaitExit();

    child.awaitGone(server);
    assertThat(pidFile(server)).as(child.output()).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "postgres"})
  void aServerOrphanedByASigkilledJvmIsStoppedByTheNextFixtureStart(String fixture)
      throws Exception {
    Child child = Child.start(directory, fixture, "wait");
    long server = child.awaitServerPid();
    child.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
    child.awaitExit();
    assertThat(ProcessHandle.of(server).map(ProcessHandle::isAlive))
        .as("the orphan survives its JVM's SIGKILL\n%s", child.output())
        .contains(true);
    assertThat(pidFile(server)).as(child.output()).exists();

    if (fixture.equals("redis")) {
      try (RedisServer next = RedisServer.start()) {
        assertThat(next.isRunning()).isTrue();
      }
    } else {
      // what PostgresServer.shared() does first; this JVM's shared server may already be up
      assertThat(OwnedProcesses.reapOrphans()).as(child.output()).contains(server);
    }

    child.awaitGone(server);
    assertThat(pidFile(server)).as(child.output()).doesNotExist();
  }

  @Test
  void aPidFileWhoseProcessIsNotTheRecordedOneIsDroppedWithoutKillingIt() throws Exception {
    Process unrelated = new ProcessBuilder("sleep", "300").start();
    try {
      Path file = OwnedProcesses.directory().resolve(unrelated.pid() + ".pid");
      Files.createDirectories(file.getParent());
      // the pid was reused: the recorded start instant is not the running process's
      Files.writeString(
          file,
          String.join(
              "\n",
              "pid=" + unrelated.pid(),
              "start=" + Instant.parse("2001-01-01T00:00:00Z"),
              "command=" + unrelated.info().command().orElse(""),
              "owner=" + Long.MAX_VALUE,
              "ownerStart=" + Instant.parse("2001-01-01T00:00:00Z"),
              ""));

      List<Long> reaped = OwnedProcesses.reapOrphans();

      assertThat(reaped).doesNotContain(unrelated.pid());
      assertThat(unrelated.isAlive()).isTrue();
      assertThat(file).doesNotExist();
    } finally {
      unrelated.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Path pidFile(long pid) {
    return OwnedProcesses.directory().resolve(pid + ".pid");
  }

  /** A {@link FixtureChild} JVM whose stdout and stderr go to a file kept for failure messages. */
  private record Child(Process process, Path log) {
    static Child start(Path directory, String fixture, String mode) throws IOException {
      Path log = directory.resolve(fixture + "-" + mode + ".log");
      Process process =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  FixtureChild.class.getName(),
                  fixture,
                  mode)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new Child(process, log);
    }

    long awaitServerPid() {
      Matcher found = PID.matcher("");
      awaitWithOutput(
          CHILD_TIMEOUT,
          "the child to print its server's pid",
          () -> !process.isAlive() || found.reset(output()).find());
      assertThat(found.reset(output()).find()).as("no pid printed\n%s", output()).isTrue();
      return Long.parseLong(found.group(1));
    }

    void awaitExit() throws InterruptedException {
      assertThat(process.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("the child did not exit\n%s", output())
          .isTrue();
    }

    void awaitGone(long pid) {
      awaitWithOutput(
          GONE_TIMEOUT,
          "server " + pid + " to be gone",
          () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    String output() {
      try {
        return "--- child output (" + log + ") ---\n" + Files.readString(log);
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e + ")";
      }
    }

    private void awaitWithOutput(Duration atMost, String what, Callable<Boolean> condition) {
      try {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(condition);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("waited " + atMost + " for " + what + "\n" + output(), e);
      }
    }
  }
}
