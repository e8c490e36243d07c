package dev.sluice.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.http.ProblemBody;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The admin listener's endpoints: {@code GET /metrics} (Prometheus text), {@code GET /healthz},
 * {@code GET /readyz} ({@link Readiness}), {@code POST /admin/reload}, {@code GET /admin/config}.
 * With a token set, every endpoint but the two health checks requires {@code Authorization: Bearer
 * <token>}.
 */
final class AdminHandler extends Handler.Abstract {
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json";

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

  private final Gateway gateway;
  private final byte @Nullable [] token;

  AdminHandler(Gateway gateway, @Nullable String token) {
    this.gateway = gateway;
    this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    switch (path) {
      case "/healthz" -> {
        return write(response, callback, 200, JSON, "{\"status\":\"ok\"}");
      }
      case "/readyz" -> {
        Readiness ready = gateway.readiness();
        return write(response, callback, ready.status(), JSON, ready.body());
      }
      default -> {
        // every other endpoint needs the token, when one is set
      }
    }
    if (token != null && !authorized(request)) {
      return write(
          response,
          callback,
          401,
          ProblemBody.MEDIA_TYPE,
          ProblemBody.simple(401, "Unauthorized", "The admin endpoints need the admin token."));
    }
    return switch (path) {
      case "/metrics" ->
          only("GET", method, response, callback)
              || write(response, callback, 200, PROMETHEUS, gateway.scrape());
      case "/admin/config" ->
          only("GET", method, response, callback) || write(response, callback, 200, JSON, config());
      case "/admin/reload" ->
          only("POST", method, response, callback) || reload(response, callback);
      default ->
          write(
              response,
              callback,
              404,
              ProblemBody.MEDIA_TYPE,
              ProblemBody.simple(404, "Not Found", "No admin endpoint at " + path + "."));
    };
  }

  private boolean authorized(Request request) {
    String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  /** False when the method is the one expected; else answers 405 and returns true. */
  private static boolean only(String expected, String method, Response response, Callback cb) {
    if (expected.equals(method)) {
      return false;
    }
    response.getHeaders().put(HttpHeader.ALLOW, expected);
    return write(
        response,
        cb,
        405,
        ProblemBody.MEDIA_TYPE,
        ProblemBody.simple(405, "Method Not Allowed", "Use " + expected + "."));
  }

  private boolean reload(Response response, Callback callback) {
    try {
      int version = gateway.reload();
      ObjectNode json = JSON_MAPPER.createObjectNode().put("applied", true).put("version", version);
      return write(response, callback, 200, JSON, json.toString());
    } catch (RateLimitConfigException | GatewayException e) {
      return write(
          response,
          callback,
          422,
          ProblemBody.MEDIA_TYPE,
          ProblemBody.simple(
              422,
              "Configuration Refused",
              e.getMessage() + " (version " + gateway.configVersion() + " stays in force)"));
    }
  }

  private String config() {
    Gateway.ConfigVersion v = gateway.version();
    GatewayConfig c = v.config();
    ObjectNode json = JSON_MAPPER.createObjectNode();
    json.put("version", v.number());
    json.put("loaded_at", v.loadedAt().toString());
    v.restartRequired().forEach(json.putArray("restart_required")::add);
    json.put("mode", c.mode().name().toLowerCase(Locale.ROOT));
    json.put("upstream", c.upstream() == null ? null : c.upstream().toString());
    json.put("rules", c.rateLimit().policy().rules().size());
    json.put("policy", c.rateLimit().policy().toString());
    return json.toString();
  }

  private static boolean write(
      Response response, Callback callback, int status, String type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(bytes.length));
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }
}
