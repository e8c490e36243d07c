package dev.sluice.durable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.Jitter;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;

/**
 * A {@link RetrySchedule} as the JSON kept in an execution's row, so any process can compute when
 * the next attempt is due. Durations are ISO-8601 text; the format is explicit (not Jackson's
 * default record mapping) so that it stays stable when the records evolve.
 *
 * <pre>{@code
 * {"maxAttempts":3,"maxElapsed":null,"maxDelay":"PT5M","overMaxDelay":"CAP",
 *  "backoff":{"type":"exponential","initialDelay":"PT0.1S","multiplier":2.0,"maxDelay":"PT10S",
 *             "jitter":"FULL","jitterFactor":0.0}}
 * }</pre>
 */
final class RetryScheduleJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RetryScheduleJson() {}

  static String write(RetrySchedule schedule) {
    ObjectNode root = JSON.createObjectNode();
    root.put("maxAttempts", schedule.maxAttempts());
    root.put("maxElapsed", schedule.maxElapsed() == null ? null : schedule.maxElapsed().toString());
    root.put("maxDelay", schedule.maxDelay().toString());
    root.put("overMaxDelay", schedule.overMaxDelay().name());
    ObjectNode backoff = root.putObject("backoff");
    Backoff b = schedule.backoff();
    if (b instanceof Backoff.Fixed fixed) {
      backoff.put("type", "fixed");
      backoff.put("delay", fixed.delay().toString());
    } else if (b instanceof Backoff.Exponential exponential) {
      backoff.put("type", "exponential");
      backoff.put("initialDelay", exponential.initialDelay().toString());
      backoff.put("multiplier", exponential.multiplier());
      backoff.put("maxDelay", exponential.maxDelay().toString());
    }
    backoff.put("jitter", b.jitter().kind().name());
    backoff.put("jitterFactor", b.jitter().factor());
    return root.toString();
  }

  static RetrySchedule read(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode b = root.required("backoff");
      Jitter jitter =
          new Jitter(
              Jitter.Kind.valueOf(b.required("jitter").asText()),
              b.required("jitterFactor").asDouble());
      Backoff backoff =
          switch (b.required("type").asText()) {
            case "fixed" -> new Backoff.Fixed(duration(b, "delay"), jitter);
            case "exponential" ->
                new Backoff.Exponential(
                    duration(b, "initialDelay"),
                    b.required("multiplier").asDouble(),
                    duration(b, "maxDelay"),
                    jitter);
            default -> throw new IllegalArgumentException("unknown backoff type in " + json);
          };
      JsonNode maxElapsed = root.get("maxElapsed");
      return new RetrySchedule(
          root.required("maxAttempts").asInt(),
          maxElapsed == null || maxElapsed.isNull() ? null : Duration.parse(maxElapsed.asText()),
          backoff,
          duration(root, "maxDelay"),
          RetrySchedule.OverMaxDelay.valueOf(root.required("overMaxDelay").asText()));
    } catch (Exception e) {
      throw new DurableException("stored retry schedule is not readable: " + json, e);
    }
  }

  private static Duration duration(JsonNode node, String field) {
    return Duration.parse(node.required(field).asText());
  }
}
