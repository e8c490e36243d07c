package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice demo} as a user runs it: the packaged jar, as a process, killed and run again. */
@Timeout(300)
class DemoProcessIT {
  private static final Path JAR = Path.of("target", "sluice.jar");
  private static final Pattern PROGRESS =
      Pattern.compile("^\\s*(\\d+)/(\\d+) done", Pattern.MULTILINE);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  record Run(int code, String out, String err) {
    String report() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private Process start(Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
  }

  private Run run(String name, String... args) throws Exception {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process process = start(out, err, args);
    boolean ended = process.waitFor(240, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    Run run =
        new Run(ended ? process.exitValue() : -1, Files.readString(out), Files.readString(err));
    assertThat(ended).as(run.report()).isTrue();
    return run;
  }

  private static JsonNode summary(Run run) throws IOException {
    String[] lines = run.out().strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  @Test
  void aBatchRunsToTheEndUnderTheLimitAndASecondRunMakesNoCallAgain() throws Exception {
    String db = dir.resolve("demo.db").toString();

    Run first = run("first", "demo", "--calls", "300", "--db", db, "--json");

    assertThat(first.code()).as(first.report()).isZero();
    JsonNode s = summary(first);
    assertThat(s.get("completed").asLong()).as(first.report()).isEqualTo(300);
    assertThat(s.get("callsMade").asLong()).as(first.report()).isEqualTo(300);
    assertThat(s.get("deadLetters").asLong()).as(first.report()).isZero();
    // the gateway admits 50/s and a burst of 50: 300 calls take at least 5 s, so at most 60/s
    assertThat(s.get("perSecond").asDouble()).as(first.report()).isLessThanOrEqualTo(60.0);
    assertThat(s.get("goodput").asDouble()).as(first.report()).isGreaterThan(0.3);
    assertThat(first.err()).as("progress goes to stderr with --json").contains("300/300 done");

    Run second = run("second", "demo", "--calls", "300", "--db", db, "--json");

    assertThat(second.code()).as(second.report()).isZero();
    assertThat(summary(second).get("completed").asLong()).isEqualTo(300);
    assertThat(summary(second).get("callsMade").asLong()).as(second.report()).isZero();
  }

  @Test
  void killedMidRunItResumesAndNoCallRecordedAsDoneIsMadeAgain() throws Exception {
    String db = dir.resolve("killed.db").toString();
    Path apiLog = dir.resolve("api.log");
    Path out = dir.resolve("killed.out");
    Path err = dir.resolve("killed.err");
    Process first =
        start(out, err, "demo", "--calls", "400", "--db", db, "--api-log", apiLog.toString());
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> doneSoFar(Files.readString(out)) >= 100 || !first.isAlive());
    assertThat(first.isAlive()).as(Files.readString(out) + Files.readString(err)).isTrue();
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Run listed =
        run(
            "listed",
            "durable",
            "list",
            "--db",
            db,
            "--state",
            "completed",
            "--limit",
            "1000",
            "--json");
    assertThat(listed.code()).as(listed.report()).isZero();
    Set<String> doneInFirstRun = new HashSet<>();
    for (JsonNode execution : JSON.readTree(listed.out()).get("executions")) {
      doneInFirstRun.add(execution.get("input").asText());
    }
    assertThat(doneInFirstRun)
        .as(listed.report())
        .hasSizeGreaterThanOrEqualTo(100)
        .hasSizeLessThan(400);

    Run second =
        run("resumed", "demo", "--calls", "400", "--db", db, "--api-log", apiLog.toString());

    assertThat(second.code()).as(second.report()).isZero();
    assertThat(second.out()).contains("400 of 400 done");
    Map<String, Long> served =
        Files.readAllLines(apiLog, StandardCharsets.UTF_8).stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(served).as("every call was made").hasSize(400);
    for (String item : doneInFirstRun) {
      assertThat(served.get(item))
          .as("calls to item %s, recorded done before the kill", item)
          .isEqualTo(1);
    }
  }

  private static long doneSoFar(String out) {
    Matcher m = PROGRESS.matcher(out);
    long done = 0;
    while (m.find()) {
      done = Long.parseLong(m.group(1));
    }
    return done;
  }
}
