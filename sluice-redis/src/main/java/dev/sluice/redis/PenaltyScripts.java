package dev.sluice.redis;

import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.PenaltyStanding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The penalty scripts ({@code penalty-check.lua}, {@code penalty-violation.lua}) and their calling
 * convention: arguments in whole units of time (microseconds on Redis' clock, rounded up, so a
 * penalty is at most a microsecond longer than written) and replies read into {@link
 * PenaltyStanding}s.
 *
 * <p>Lua computes in doubles, exact below 2^53; every duration is capped at {@link #MAX_UNITS}
 * (2^51: about 71 years in microseconds), so now plus two durations stays exact.
 */
final class PenaltyScripts {
  /** A script's source and its SHA-1, the name {@code EVALSHA} knows it by. */
  record Script(String source, String sha) {
    private static Script load(String name) {
      String source = read(name);
      return new Script(source, sha1(source));
    }
  }

  static final Script CHECK = Script.load("penalty-check.lua");
  static final Script VIOLATION = Script.load("penalty-violation.lua");

  /** The longest duration handed to a script, in its units. */
  static final long MAX_UNITS = 1L << 51;

  /** The suffix of a client's penalty record; a limit id never holds a {@code ~}. */
  static final String SUFFIX = "~penalty";

  private final long unitNanos;
  private final boolean redisClock;

  /** The arguments of the last penalty settings seen, but for {@code now}: they rarely change. */
  private volatile @Nullable Prepared prepared;

  private record Prepared(Penalty penalty, String[] args) {}

  private PenaltyScripts(long unitNanos, boolean redisClock) {
    this.unitNanos = unitNanos;
    this.redisClock = redisClock;
  }

  /** Time from Redis {@code TIME}, in microseconds; records expire when forgotten. */
  static PenaltyScripts redisClock() {
    return new PenaltyScripts(1_000, true);
  }

  /**
   * Time from the caller's ticker, in nanoseconds, and no expiry: only for tests comparing the
   * scripts with the in-memory box step for step on one manual clock (whose readings must stay
   * below 2^53 ns).
   */
  static PenaltyScripts callerClock() {
    return new PenaltyScripts(1, false);
  }

  String[] keys(RedisKeys names, String client) {
    return new String[] {names.stem(client) + SUFFIX};
  }

  String[] checkArgs(long nowNanos) {
    return new String[] {now(nowNanos)};
  }

  /** The arguments of a violation; the cooldowns of every level up to the first at the maximum. */
  String[] violationArgs(Penalty penalty, long nowNanos) {
    Prepared known = prepared;
    if (known == null || !known.penalty.equals(penalty)) {
      known = new Prepared(penalty, prepare(penalty));
      prepared = known;
    }
    String[] args = known.args.clone();
    args[0] = now(nowNanos);
    return args;
  }

  private String[] prepare(Penalty penalty) {
    List<String> args = new ArrayList<>();
    args.add("");
    args.add(redisClock ? Long.toString(1_000_000 / unitNanos) : "0");
    args.add(Integer.toString(penalty.threshold()));
    args.add(Long.toString(units(penalty.window())));
    args.add(Long.toString(units(penalty.resetAfter())));
    long max = penalty.maxCooldown().toNanos();
    long previous = -1;
    for (int level = 1; ; level++) {
      long cooldown = penalty.cooldownAt(level).toNanos();
      if (cooldown == previous) {
        break; // multiplier 1: every level lasts as long as the last one given
      }
      args.add(Long.toString(units(Duration.ofNanos(cooldown))));
      if (cooldown >= max) {
        break;
      }
      previous = cooldown;
    }
    return args.toArray(String[]::new);
  }

  private String now(long nowNanos) {
    return redisClock ? "" : Long.toString(nowNanos);
  }

  private long units(Duration duration) {
    long nanos = duration.toNanos();
    return Math.min(MAX_UNITS, nanos / unitNanos + (nanos % unitNanos == 0 ? 0 : 1));
  }

  /** Reads {@code level, remaining} (and of a violation, {@code started}) into a standing. */
  PenaltyStanding standing(List<Object> reply) {
    if (reply.size() < 2) {
      throw new IllegalStateException("redis penalty script replied " + reply);
    }
    long level = number(reply.get(0));
    long remaining = number(reply.get(1));
    return new PenaltyStanding((int) Math.min(Integer.MAX_VALUE, level), remaining * unitNanos);
  }

  /** Whether a violation's reply says it started a penalty. */
  static boolean started(List<Object> reply) {
    return reply.size() > 2 && number(reply.get(2)) == 1;
  }

  private static long number(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    throw new IllegalStateException("redis penalty script replied " + value + ", not an integer");
  }

  private static String read(String name) {
    try (InputStream in = PenaltyScripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("dev/sluice/redis/" + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dev/sluice/redis/" + name, e);
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
