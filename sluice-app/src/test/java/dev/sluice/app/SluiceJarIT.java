package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.PostgresExecutionStore;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.testkit.PostgresDatabase;
import dev.sluice.testkit.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The packaged {@code sluice} jar, run as a process against both stores. */
class SluiceJarIT {
  private static final Path JAR = Path.of("target", "sluice.jar");
  @TempDir static Path directory;
  static PostgresDatabase database;
  static String sqlite;
  static String postgres;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void populateBothStores() {
    Path file = directory.resolve("cli.db");
    try (ExecutionStore store = SqliteExecutionStore.open(file)) {
      Fixtures.populate(store);
    }
    sqlite = file.toString();
    database = PostgresServer.shared().createDatabase();
    postgres = Fixtures.urlWithCredentials(database);
    // the fixture back-dates one execution, so it writes with its own clock
    try (ExecutionStore store =
        PostgresExecutionStore.builder()
            .url(postgres)
            .clock(PostgresExecutionStore.Clock.CALLER)
            .open()) {
      Fixtures.populate(store);
    }
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  static Stream<String> stores() {
    return Stream.of("sqlite", "postgres");
  }

  static String db(String which) {
    return which.equals("sqlite") ? sqlite : postgres;
  }

  static Run sluice(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("stores")
  void theJarOperatesEveryCommandOnTheStore(String which) throws Exception {
    assertThat(Files.isRegularFile(JAR)).isTrue();
    String db = db(which);
    ObjectMapper json = new ObjectMapper();

    Run stats = sluice("durable", "stats", "--db", db, "--json");
    assertThat(stats.code()).as(stats.err()).isZero();
    JsonNode counts = json.readTree(stats.out());
    assertThat(counts.at("/states/completed").asLong()).isEqualTo(2);
    assertThat(counts.at("/deadLetters").asLong()).isEqualTo(1);

    Run list = sluice("durable", "list", "--db", db, "--state", "running");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("busy").doesNotContain("waiting");

    Run show = sluice("durable", "show", "done", "--db", db, "--json");
    assertThat(json.readTree(show.out()).at("/steps/0/name").asText()).isEqualTo("fetch");

    assertThat(sluice("durable", "dlq", "list", "--db", db).out()).contains("upstream said 503");
    assertThat(sluice("durable", "dlq", "replay", "dead", "--db", db).code()).isZero();
    assertThat(sluice("durable", "cancel", "dead", "--db", db).code()).isZero();
    assertThat(sluice("durable", "cancel", "dead", "--db", db).code()).isEqualTo(1);

    Run purge = sluice("durable", "purge", "--older-than", "7d", "--db", db);
    assertThat(purge.code()).isZero();
    assertThat(purge.out()).startsWith("purged 1 executions");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void usageErrorsAreOneLineWithExitCodeTwo(String which) throws Exception {
    String db = db(which);
    for (Run run :
        List.of(
            sluice("durable", "show", "no-such-id", "--db", db),
            sluice("durable", "purge", "--older-than", "7 days", "--db", db),
            sluice("durable", "cancel", "--db", db),
            sluice(
                "durable",
                "stats",
                "--db",
                which.equals("sqlite")
                    ? directory.resolve("absent.db").toString()
                    : "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1"))) {
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.err().lines()).as(run.err()).hasSize(1);
      assertThat(run.err()).startsWith("sluice: ");
    }
  }
}
