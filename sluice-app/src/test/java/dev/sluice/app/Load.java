package dev.sluice.app;

import dev.sluice.time.TimeSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A few virtual-thread clients sending GETs to one URI back to back until {@link #stop()}; each
 * request has its own timeout, so none can hang the test. Every answer is recorded with its start
 * and end on the system {@link TimeSource}; a request that got no answer is recorded with status
 * {@code -1} and the error.
 */
final class Load {
  static final TimeSource TIME = TimeSource.system();

  /** One request: when it started and ended (nanoTime), its status, content type or error. */
  record Answer(long start, long end, int status, String contentType, String error) {
    Duration latency() {
      return Duration.ofNanos(end - start);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> clients = new ArrayList<>();
  private final URI target;
  private final Duration timeout;

  private Load(URI target, Duration timeout) {
    this.target = target;
    this.timeout = timeout;
  }

  /** Starts {@code clients} clients sending to {@code target}, each request bounded by timeout. */
  static Load start(int clients, URI target, Duration timeout) {
    Load load = new Load(target, timeout);
    for (int i = 0; i < clients; i++) {
      load.clients.add(Thread.ofVirtual().name("load-" + i).start(load::send));
    }
    return load;
  }

  private void send() {
    HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).build();
    while (running.get()) {
      long start = TIME.nanoTime();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        answers.add(
            new Answer(
                start,
                TIME.nanoTime(),
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                null));
      } catch (IOException e) {
        answers.add(new Answer(start, TIME.nanoTime(), -1, "", e.toString()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The answers so far, in the order they were recorded. */
  List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** How many answers so far match. */
  long count(Predicate<Answer> which) {
    return answers.stream().filter(which).count();
  }

  /** How many answers so far had this status. */
  long count(int status) {
    return count(a -> a.status() == status);
  }

  /** Stops the clients, waits for the requests in flight, and returns every answer. */
  List<Answer> stop() throws InterruptedException {
    running.set(false);
    for (Thread client : clients) {
      client.join(timeout.plusSeconds(5));
    }
    client.close();
    return answers();
  }

  /** Counts by status, for messages: {@code {200=812, 429=40}}. */
  static Map<Integer, Long> byStatus(List<Answer> answers) {
    Map<Integer, Long> counts = new TreeMap<>();
    for (Answer a : answers) {
      counts.merge(a.status(), 1L, Long::sum);
    }
    return counts;
  }

  /** The slowest answer's latency. */
  static Duration slowest(List<Answer> answers) {
    return answers.stream().map(Answer::latency).max(Duration::compareTo).orElse(Duration.ZERO);
  }
}
