package dev.sluice.redis;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.internal.RemoteDecision;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The decision script ({@code decide.lua}) and its calling convention: the keys and arguments of
 * one call, and the reading of its reply into a {@link Decision}.
 *
 * <p>The script computes in whole units of time. With Redis' clock the unit is the microsecond
 * ({@code TIME}); windows and emission intervals are rounded up to whole microseconds, so a limit
 * is at most a microsecond per permit stricter than written, never looser.
 */
final class DecideScript {
  static final String SOURCE = load();
  static final String SHA = sha1(SOURCE);

  private static final int ARGS_PER_LIMIT = 6;
  private static final int HEAD_ARGS = 4;

  private final long unitNanos;
  private final boolean redisClock;

  private DecideScript(long unitNanos, boolean redisClock) {
    this.unitNanos = unitNanos;
    this.redisClock = redisClock;
  }

  /** Time from Redis {@code TIME}, in microseconds; keys expire when whole. */
  static DecideScript redisClock() {
    return new DecideScript(1_000, true);
  }

  /**
   * Time from the caller, in nanoseconds, and no expiry: only for a single caller whose clock is
   * the reference (tests comparing the script with the in-memory engine step for step). Lua
   * computes in doubles, so the caller's times must stay below 2^53 ns (about 104 days after the
   * epoch): a manual clock whose wall clock starts near 1970.
   */
  static DecideScript callerClock() {
    return new DecideScript(1, false);
  }

  String[] keys(RedisKeys names, String key, List<Limit> limits) {
    int n = limits.size();
    String stem = names.stem(key);
    String[] keys = new String[2 * n];
    for (int i = 0; i < n; i++) {
      String id = limits.get(i).id();
      keys[i] = stem + id;
      keys[n + i] = stem + id + ":log";
    }
    return keys;
  }

  String[] args(List<Limit> limits, long cost, long nowNanos) {
    int n = limits.size();
    String[] args = new String[HEAD_ARGS + ARGS_PER_LIMIT * n];
    args[0] = redisClock ? "" : Long.toString(nowNanos);
    args[1] = redisClock ? Long.toString(1_000_000 / unitNanos) : "0";
    args[2] = Long.toString(cost);
    args[3] = Integer.toString(n);
    for (int i = 0; i < n; i++) {
      Limit limit = limits.get(i);
      int b = HEAD_ARGS + ARGS_PER_LIMIT * i;
      args[b] = Integer.toString(limit.algorithm().ordinal());
      args[b + 1] = Long.toString(limit.quota());
      args[b + 2] = Long.toString(limit.burst());
      args[b + 3] = Long.toString(ceilUnits(limit.windowNanos()));
      args[b + 4] = Long.toString(ceilUnits(limit.intervalNanos()));
      args[b + 5] = String.join(",", args[b], args[b + 1], args[b + 2], args[b + 3], args[b + 4]);
    }
    return args;
  }

  private long ceilUnits(long nanos) {
    return (nanos + unitNanos - 1) / unitNanos;
  }

  /**
   * Reads the script's reply: {@code allowed, now, retryAfter, then remaining, resetAfter,
   * violated} per limit; times in units.
   */
  Decision decision(List<Limit> limits, List<Object> reply) {
    int n = limits.size();
    if (reply.size() != 3 + 3 * n) {
      throw new IllegalStateException(
          "redis decision script replied " + reply.size() + " values for " + n + " limits");
    }
    long retry = number(reply.get(2));
    long[] remaining = new long[n];
    long[] resetAfter = new long[n];
    long violated = 0;
    for (int i = 0; i < n; i++) {
      remaining[i] = number(reply.get(3 + 3 * i));
      resetAfter[i] = number(reply.get(4 + 3 * i)) * unitNanos;
      if (number(reply.get(5 + 3 * i)) != 0) {
        violated |= 1L << i;
      }
    }
    long retryAfter = retry < 0 ? Decision.NEVER : retry * unitNanos;
    return RemoteDecision.of(
        limits, remaining, resetAfter, violated == 0 ? 0 : retryAfter, violated);
  }

  /** The time the script decided at, in nanoseconds of its clock. */
  long nowNanos(List<Object> reply) {
    return number(reply.get(1)) * unitNanos;
  }

  private static long number(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    throw new IllegalStateException("redis decision script replied " + value + ", not an integer");
  }

  private static String load() {
    try (InputStream in = DecideScript.class.getResourceAsStream("decide.lua")) {
      if (in == null) {
        throw new IllegalStateException("dev/sluice/redis/decide.lua is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dev/sluice/redis/decide.lua", e);
    }
  }

  private static String sha1(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
