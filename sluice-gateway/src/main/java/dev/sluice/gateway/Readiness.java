package dev.sluice.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.redis.FailureMode;
import dev.sluice.redis.RedisStore;
import java.util.Locale;

/**
 * What {@code GET /readyz} answers: whether this gateway decides requests as its configuration
 * means it to, and why.
 *
 * <ul>
 *   <li>200: the store is in memory; or Redis answered {@code PING} within the command timeout; or
 *       it did not and the fail mode is {@code open} or {@code fallback}, so requests are still
 *       admitted by the fail mode (the body says {@code "redis":"unreachable"}).
 *   <li>503: the gateway is shutting down; or Redis did not answer and the fail mode is {@code
 *       closed}, so every request is refused until Redis is back.
 * </ul>
 *
 * <p>The probe is one PING on the store's connection; it bypasses the breaker and changes no
 * decision.
 */
record Readiness(int status, String body) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Readiness of(boolean closing, RedisStore redis) {
    ObjectNode json = JSON.createObjectNode();
    if (closing) {
      return not(json.put("reason", "the gateway is shutting down"));
    }
    if (redis == null) {
      return ready(json.put("store", "memory"));
    }
    FailureMode mode = redis.config().failurePolicy().onFailure();
    boolean reachable = redis.ping();
    json.put("store", "redis")
        .put("redis", reachable ? "reachable" : "unreachable")
        .put("breaker", redis.breakerState().name().toLowerCase(Locale.ROOT))
        .put("fail_mode", name(mode));
    if (reachable) {
      return ready(json);
    }
    if (mode == FailureMode.FAIL_CLOSED) {
      return not(
          json.put(
              "reason",
              "redis did not answer PING and fail-mode is closed: every request is refused"));
    }
    return ready(
        json.put(
            "reason",
            "redis did not answer PING: requests are decided by fail-mode " + name(mode)));
  }

  private static String name(FailureMode mode) {
    return switch (mode) {
      case FAIL_OPEN -> "open";
      case FAIL_CLOSED -> "closed";
      case FALLBACK -> "fallback";
    };
  }

  private static Readiness ready(ObjectNode json) {
    return new Readiness(
        200, JSON.createObjectNode().put("status", "ready").setAll(json).toString());
  }

  private static Readiness not(ObjectNode json) {
    return new Readiness(
        503, JSON.createObjectNode().put("status", "not ready").setAll(json).toString());
  }
}
