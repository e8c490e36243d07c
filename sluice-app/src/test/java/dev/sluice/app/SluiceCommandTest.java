package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.time.ManualTimeSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's behaviour and exit codes, in process, on a SQLite store. */
class SluiceCommandTest {
  @TempDir Path directory;
  Path db;

  record Result(int code, String out, String err) {}

  Result sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Sluice.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeEach
  void populate() {
    db = directory.resolve("sluice.db");
    try (SqliteExecutionStore store = SqliteExecutionStore.open(db)) {
      Fixtures.populate(store);
    }
  }

  @Test
  void statsCountsEveryStateAndDeadLetters() throws Exception {
    Result table = sluice("durable", "stats", "--db", db.toString());
    assertThat(table.code()).isZero();
    assertThat(table.out()).containsPattern("completed\\s+2").containsPattern("dead letters\\s+1");
    JsonNode json =
        new ObjectMapper()
            .readTree(sluice("durable", "stats", "--db", db.toString(), "--json").out());
    assertThat(json.at("/states/pending").asLong()).isEqualTo(1);
    assertThat(json.at("/states/running").asLong()).isEqualTo(1);
    assertThat(json.at("/states/failed").asLong()).isEqualTo(1);
    assertThat(json.at("/total").asLong()).isEqualTo(5);
    assertThat(json.at("/deadLetters").asLong()).isEqualTo(1);
  }

  @Test
  void listFiltersByStateQueueAndTaskAndPages() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode failed =
        mapper.readTree(
            sluice("durable", "list", "--db", db.toString(), "--state", "FAILED", "--json").out());
    assertThat(failed.at("/executions/0/id").asText()).isEqualTo("dead");
    assertThat(failed.at("/executions").size()).isEqualTo(1);
    JsonNode mail =
        mapper.readTree(
            sluice("durable", "list", "--db", db.toString(), "--queue", "mail", "--json").out());
    assertThat(mail.at("/executions/0/id").asText()).isEqualTo("waiting");
    Result page =
        sluice("durable", "list", "--db", db.toString(), "--task", "report", "--limit", "2");
    assertThat(page.out()).contains("ID").contains("more: --offset 2");
    Result rest =
        sluice(
            "durable",
            "list",
            "--db",
            db.toString(),
            "--task",
            "report",
            "--limit",
            "3",
            "--offset",
            "3");
    assertThat(rest.out().lines()).hasSize(2).noneMatch(line -> line.startsWith("more"));
  }

  @Test
  void showPrintsInputStepsAttemptsAndAFalsyResult() throws Exception {
    JsonNode done =
        new ObjectMapper()
            .readTree(sluice("durable", "show", "done", "--db", db.toString(), "--json").out());
    assertThat(done.at("/state").asText()).isEqualTo("completed");
    assertThat(done.at("/hasResult").asBoolean()).isTrue();
    assertThat(done.at("/result").asInt()).isZero();
    assertThat(done.at("/input/to").asText()).isEqualTo("done");
    assertThat(done.at("/steps/0/name").asText()).isEqualTo("fetch");
    assertThat(done.at("/steps/0/outcome/rows").asInt()).isEqualTo(3);
    Result table = sluice("durable", "show", "dead", "--db", db.toString());
    assertThat(table.out()).contains("upstream said 503").contains("attempt");
  }

  @Test
  void cancelEndsALiveExecutionAndRefusesAnEndedOneWithExitCodeOne() {
    assertThat(sluice("durable", "cancel", "busy", "--db", db.toString()).code()).isZero();
    Result again = sluice("durable", "cancel", "busy", "--db", db.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("cancelled");
    try (SqliteExecutionStore store = SqliteExecutionStore.open(db)) {
      assertThat(store.find(ExecutionId.of("busy")).orElseThrow().state())
          .isEqualTo(ExecutionState.CANCELLED);
    }
  }

  @Test
  void deadLettersCanBeListedReplayedAndDiscarded() {
    assertThat(sluice("durable", "dlq", "list", "--db", db.toString()).out())
        .contains("dead")
        .contains("upstream said 503");
    assertThat(sluice("durable", "dlq", "replay", "dead", "--db", db.toString()).code()).isZero();
    assertThat(sluice("durable", "dlq", "discard", "dead", "--db", db.toString()).code())
        .isEqualTo(1);
    try (SqliteExecutionStore store = SqliteExecutionStore.open(db)) {
      assertThat(store.find(ExecutionId.of("dead")).orElseThrow().state())
          .isEqualTo(ExecutionState.PENDING);
      assertThat(store.countDeadLetters()).isZero();
    }
  }

  @Test
  void purgeDeletesOnlyExecutionsThatEndedBeforeTheAge() {
    Result purge = sluice("durable", "purge", "--older-than", "7d", "--db", db.toString());
    assertThat(purge.code()).isZero();
    assertThat(purge.out()).startsWith("purged 1 executions");
    try (SqliteExecutionStore store = SqliteExecutionStore.open(db)) {
      assertThat(store.find(ExecutionId.of("old"))).isEmpty();
      assertThat(store.find(ExecutionId.of("done"))).isPresent();
    }
  }

  @Test
  void cancelReplayAndPurgeReadTheTimeSourceTheyAreRunWith() throws Exception {
    Instant start = Instant.parse("2031-02-28T23:59:59Z");
    ManualTimeSource time = new ManualTimeSource(start);
    Path elsewhere = directory.resolve("elsewhere.db");
    try (SqliteExecutionStore store = SqliteExecutionStore.open(elsewhere)) {
      Fixtures.populate(store, start.toEpochMilli());
    }
    String file = elsewhere.toString();

    time.advance(Duration.ofHours(1));
    assertThat(run(args("durable", "cancel", "busy", "--db", file), time)).isZero();
    time.advance(Duration.ofHours(1));
    assertThat(run(args("durable", "dlq", "replay", "dead", "--db", file), time)).isZero();
    time.advance(Duration.ofDays(10));
    StringWriter out = new StringWriter();
    int purged =
        Sluice.run(
            args("durable", "purge", "--older-than", "7d", "--json", "--db", file),
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            time);

    assertThat(purged).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.at("/endedBefore").asText())
        .isEqualTo(start.plus(Duration.ofHours(2)).plus(Duration.ofDays(3)).toString());
    // old (ended 30 days before the start), done (at the start) and busy (cancelled an hour later)
    assertThat(json.at("/purged").asLong()).isEqualTo(3);
    try (SqliteExecutionStore store = SqliteExecutionStore.open(elsewhere)) {
      assertThat(store.find(ExecutionId.of("dead")).orElseThrow().scheduledFor())
          .isEqualTo(start.plus(Duration.ofHours(2)).toEpochMilli());
      assertThat(store.find(ExecutionId.of("busy"))).isEmpty();
    }
  }

  private static String[] args(String... args) {
    return args;
  }

  private static int run(String[] args, ManualTimeSource time) {
    return Sluice.run(
        args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), time);
  }

  @Test
  void aMalformedDurationIsAOneLineErrorWithExitCodeTwo() {
    for (String bad : new String[] {"7days", "7d junk", "", "-1h", "d7"}) {
      Result result = sluice("durable", "purge", "--older-than", bad, "--db", db.toString());
      assertThat(result.code()).as(bad).isEqualTo(2);
      assertThat(result.err().lines().count()).as(bad).isEqualTo(1);
      assertThat(result.err()).startsWith("sluice: --older-than");
    }
  }

  @Test
  void aBadDbIsAOneLineErrorWithExitCodeTwo() {
    for (String bad :
        new String[] {
          directory.resolve("missing.db").toString(),
          "jdbc:mysql://localhost/x",
          "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=1",
          directory.toString()
        }) {
      Result result = sluice("durable", "stats", "--db", bad);
      assertThat(result.code()).as(bad).isEqualTo(2);
      assertThat(result.err().lines().count()).as(bad).isEqualTo(1);
      assertThat(result.err()).startsWith("sluice: --db");
    }
  }

  @Test
  void aMissingOrUnknownIdIsAOneLineErrorWithExitCodeTwo() {
    Result missing = sluice("durable", "show", "--db", db.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().lines().count()).isEqualTo(1);
    Result unknown = sluice("durable", "cancel", "nope", "--db", db.toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err())
        .isEqualTo("sluice: no execution with id nope" + System.lineSeparator());
  }

  @Test
  void aMissingDbIsAUsageError() {
    Result result = sluice("durable", "stats");
    // SLUICE_DB is not set in the test environment
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).startsWith("sluice: --db is required");
  }
}
