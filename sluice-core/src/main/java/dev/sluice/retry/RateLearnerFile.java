package dev.sluice.retry;

import dev.sluice.time.TimeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The JSON file of a {@link RateLearner}:
 *
 * <pre>{@code
 * {"version":1,"providers":{"api.example.com":{"streak":4,"reducedFactor":0.9,
 *   "recovering":false,"recoveryStart":null,
 *   "events":[{"at":"2026-01-01T00:00:00Z","kind":"THROTTLED"}]}}}
 * }</pre>
 *
 * <p>Written to a temporary file in the same directory and renamed over the old one, so a reader
 * (or a crash) sees the old file or the new one, never half of one. Times are wall-clock instants,
 * so the file means the same thing to the next process.
 */
final class RateLearnerFile {
  private static final System.Logger LOG = System.getLogger(RateLearner.class.getName());
  private static final int VERSION = 1;

  private final Path path;
  private final TimeSource time;
  private final ReentrantLock writeLock = new ReentrantLock();

  RateLearnerFile(Path path, TimeSource time) {
    this.path = path.toAbsolutePath();
    this.time = time;
  }

  /** Reads the file into {@code providers}; on any problem logs a warning and leaves it empty. */
  void load(Map<String, ProviderState> providers, long nowNanos) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException absent) {
      return; // first run
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot read rate learner file " + path + "; starting fresh",
          e);
      return;
    }
    try {
      providers.putAll(decode(text, nowNanos));
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "rate learner file " + path + " is corrupt (" + e.getMessage() + "); starting fresh");
    }
  }

  void save(ReentrantLock stateLock, Map<String, ProviderState> providers, long nowNanos) {
    writeLock.lock();
    try {
      String json;
      stateLock.lock();
      try {
        json = encode(providers, nowNanos);
      } finally {
        stateLock.unlock();
      }
      write(json);
    } finally {
      writeLock.unlock();
    }
  }

  private void write(String json) {
    Path dir = path.getParent();
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
      Files.writeString(temp, json, StandardCharsets.UTF_8);
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot write rate learner file " + path, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // nothing more to do; the warning above says what went wrong
        }
      }
    }
  }

  private String encode(Map<String, ProviderState> providers, long nowNanos) {
    Instant wallNow = time.now();
    StringBuilder out =
        new StringBuilder("{\"version\":").append(VERSION).append(",\"providers\":{");
    boolean first = true;
    for (Map.Entry<String, ProviderState> entry : providers.entrySet()) {
      ProviderState s = entry.getValue();
      out.append(first ? "" : ",").append(MiniJson.quote(entry.getKey())).append(':');
      first = false;
      out.append("{\"streak\":").append(s.streak);
      out.append(",\"reducedFactor\":").append(s.reducedFactor);
      out.append(",\"recovering\":").append(s.recovering);
      out.append(",\"recoveryStart\":");
      if (s.recovering) {
        Instant start = wallNow.minusNanos(nowNanos - s.recoveryStartNanos);
        out.append(MiniJson.quote(start.toString()));
      } else {
        out.append("null");
      }
      out.append(",\"events\":[");
      boolean firstEvent = true;
      for (RateEvent e : s.events) {
        out.append(firstEvent ? "" : ",");
        firstEvent = false;
        out.append("{\"at\":").append(MiniJson.quote(e.at().toString()));
        out.append(",\"kind\":").append(MiniJson.quote(e.kind().name())).append('}');
      }
      out.append("]}");
    }
    return out.append("}}").toString();
  }

  private Map<String, ProviderState> decode(String text, long nowNanos) {
    Map<String, Object> root = object(MiniJson.parse(text), "the file");
    if (!(root.get("version") instanceof Double v) || v != VERSION) {
      throw new IllegalArgumentException("unknown version " + root.get("version"));
    }
    Instant wallNow = time.now();
    Map<String, ProviderState> result = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : object(root.get("providers"), "providers").entrySet()) {
      Map<String, Object> p = object(entry.getValue(), entry.getKey());
      ProviderState s = new ProviderState();
      double streak = number(p.get("streak"), "streak");
      double factor = number(p.get("reducedFactor"), "reducedFactor");
      if (streak < 0 || streak != Math.rint(streak) || streak > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("streak " + streak);
      }
      if (!(factor > 0 && factor <= 1)) {
        throw new IllegalArgumentException("reducedFactor " + factor);
      }
      s.streak = (int) streak;
      s.reducedFactor = factor;
      s.recovering = Boolean.TRUE.equals(p.get("recovering"));
      if (s.recovering) {
        Instant start = Instant.parse(string(p.get("recoveryStart"), "recoveryStart"));
        s.recoveryStartNanos = nowNanos - Duration.between(start, wallNow).toNanos();
      }
      List<?> events = p.get("events") instanceof List<?> list ? list : List.of();
      for (Object e : events) {
        Map<String, Object> event = object(e, "event");
        s.remember(
            new RateEvent(
                Instant.parse(string(event.get("at"), "at")),
                RateEvent.Kind.valueOf(string(event.get("kind"), "kind"))));
      }
      result.put(entry.getKey(), s);
    }
    return result;
  }

  private static Map<String, Object> object(@Nullable Object value, String what) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(what + " is not an object");
    }
    Map<String, Object> typed = new LinkedHashMap<>();
    map.forEach((k, v) -> typed.put(String.valueOf(k), v));
    return typed;
  }

  private static double number(@Nullable Object value, String what) {
    if (!(value instanceof Double d)) {
      throw new IllegalArgumentException(what + " is not a number");
    }
    return d;
  }

  private static String string(@Nullable Object value, String what) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(what + " is not a string");
    }
    return s;
  }
}
