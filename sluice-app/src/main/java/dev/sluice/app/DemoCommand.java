package dev.sluice.app;

import ch.qos.logback.classic.Level;
import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.client.GentleHttpClient;
import dev.sluice.client.HttpStatusException;
import dev.sluice.durable.DispatchOptions;
import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.Task;
import dev.sluice.durable.Worker;
import dev.sluice.durable.WorkerConfig;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.event.RetryAttempted;
import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.GatewayConfigLoader;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.time.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: both sides of the wire in one process. A sample API with a limit it does not
 * announce, the Sluice gateway in front of it (in-memory limits, IETF headers), and a durable batch
 * of calls in a SQLite file, made through the gentle HTTP client, which reads the gateway's headers
 * and paces itself under the limit. Interrupted and run again, it resumes: a call recorded as done
 * is not made again.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run a durable batch through the gentle client and the gateway, in one process.")
final class DemoCommand implements Callable<Integer> {
  static final String TASK = "demo.call";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final TimeSource time;

  DemoCommand(TimeSource time) {
    this.time = time;
  }

  @Option(names = "--calls", paramLabel = "N", description = "Calls in the batch (default 2000).")
  int calls = 2000;

  @Option(
      names = "--limit",
      paramLabel = "PER_SECOND",
      description = "The gateway's limit per second (default 50).")
  int limit = 50;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description = "The SQLite file of the batch (default sluice-demo.db).")
  Path db = Path.of("sluice-demo.db");

  @Option(names = "--no-gateway", description = "Call the sample API directly: no headers to read.")
  boolean noGateway;

  @Option(names = "--keep-running", description = "Leave the gateway and the API up when done.")
  boolean keepRunning;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  @Option(names = "--api-log", hidden = true, description = "Append each item the API served.")
  Path apiLog;

  @Override
  @SuppressWarnings("try") // the worker runs while the batch is awaited; closing it is the point
  public Integer call() throws Exception {
    if (calls < 1) {
      throw new UsageException("demo: --calls must be >= 1, was " + calls);
    }
    if (limit < 1) {
      throw new UsageException("demo: --limit must be >= 1, was " + limit);
    }
    quietLogs();
    PrintWriter out = spec.commandLine().getOut();
    // behind the gateway the API can take twice the gateway's limit; alone, the limit is its own
    try (SampleApi api = SampleApi.start(noGateway ? limit : 2 * limit, apiLog, time);
        Gateway gateway = noGateway ? null : startGateway(api.uri());
        SqliteExecutionStore store = SqliteExecutionStore.open(db);
        Throttle throttle =
            Throttle.create(
                ThrottleConfig.builder().maxConcurrency(16).totalTasks(calls).build(), time)) {
      URI target = noGateway ? api.uri() : gateway.publicUri();
      AtomicLong refusals = new AtomicLong();
      AtomicLong retries = new AtomicLong();
      HttpClient client = gentleClient(throttle, time, refusals, retries);
      Durable durable = Durable.builder().store(store).timeSource(time).build();
      Task<Integer, Integer> task = durable.register(callTask(client, target));
      // with --json, stdout holds the summary alone; the progress goes to stderr
      PrintWriter progress = json ? spec.commandLine().getErr() : out;
      DemoReport report =
          new DemoReport(progress, durable, throttle, time, calls, limit, System.console() != null);
      long start = time.nanoTime();
      long servedBefore = api.served();
      try (Worker worker =
          durable
              .worker(
                  WorkerConfig.builder()
                      .concurrency(32)
                      // after a kill -9, the next run takes the dead run's calls back this soon
                      .lease(Duration.ofSeconds(5))
                      .shutdownGrace(Duration.ZERO)
                      .build())
              .start()) {
        List<ExecutionId> ids =
            durable.map(
                task,
                IntStream.range(0, calls).boxed().toList(),
                DispatchOptions.builder().idempotencyKey("sluice-demo").build());
        report.header(target, noGateway, gateway == null ? null : gateway.adminUri(), db);
        while (!report.done(refusals.get())) {
          time.sleep(report.interval());
        }
        DemoReport.Summary summary =
            report.summary(
                ids,
                api.served() - servedBefore,
                refusals.get(),
                retries.get(),
                Duration.ofNanos(time.nanoTime() - start));
        if (json) {
          out.println(summary.json());
        } else {
          report.print(summary, gateway);
        }
        out.flush();
        if (keepRunning && gateway != null) {
          out.println("gateway still up at " + gateway.publicUri() + "; Ctrl-C to stop");
          out.flush();
          new CountDownLatch(1).await();
        }
        return summary.deadLetters() == 0 && summary.completed() == calls ? ExitCodes.OK : 1;
      }
    }
  }

  private Gateway startGateway(URI upstream) throws IOException {
    String template;
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo-gateway.toml")) {
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String toml =
        template
            .replace("{{upstream}}", upstream.toString())
            .replace("{{limit}}", Integer.toString(limit));
    return Gateway.of(GatewayConfigLoader.parse(toml, Map.of()), time).start();
  }

  /** The gentle client of the demo: throttle, a breaker for a dead API, retries for 429 and 5xx. */
  private static HttpClient gentleClient(
      Throttle throttle, TimeSource time, AtomicLong refusals, AtomicLong retries) {
    RetryPolicy retry =
        RetryPolicy.builder()
            .maxAttempts(6)
            .backoff(Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(5)))
            .timeSource(time)
            .listener(
                event -> {
                  RetryAttempted attempt = (RetryAttempted) event;
                  if (attempt.failure() instanceof HttpStatusException status
                      && status.statusCode() == 429) {
                    refusals.incrementAndGet();
                  }
                  if (attempt.retrying()) {
                    retries.incrementAndGet();
                  }
                })
            .build();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .name("sample-api")
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(20)
                    // a 429 says the API is busy, not broken: only 5xx and lost connections count
                    .ignoreIf(t -> t instanceof HttpStatusException s && s.statusCode() == 429)
                    .openDelay(Duration.ofSeconds(2))
                    .build())
            .timeSource(time)
            .build();
    return GentleHttpClient.builder(HttpClient.newHttpClient())
        .throttle(throttle)
        .breaker(breaker)
        .retry(retry)
        .timeSource(time)
        .build();
  }

  /**
   * One call of the batch: GET /items/N; anything but 200 fails the attempt for a durable retry.
   */
  private static Task<Integer, Integer> callTask(HttpClient client, URI target) {
    return Task.of(
            TASK,
            Integer.class,
            Integer.class,
            (ctx, item) -> {
              HttpResponse<Void> response =
                  client.send(
                      HttpRequest.newBuilder(target.resolve("/items/" + item)).build(),
                      HttpResponse.BodyHandlers.discarding());
              if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " for item " + item);
              }
              return response.statusCode();
            })
        .withRetry(
            RetryPolicy.builder()
                .maxAttempts(10)
                .backoff(Backoff.exponential(Duration.ofSeconds(1), 2, Duration.ofSeconds(30)))
                .build());
  }

  private static void quietLogs() {
    // the gateway's JSON event and decision logs would interleave with the progress line
    for (String name : new String[] {"dev.sluice.gateway", "dev.sluice.decisions"}) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(Level.WARN);
      }
    }
  }
}
