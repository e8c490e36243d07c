package dev.sluice.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.durable.store.DeadLetter;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.StepRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints results as aligned tables or as JSON. */
final class Output {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean isJson() {
    return json;
  }

  void json(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print as JSON: " + e.getMessage(), e);
    }
  }

  void line(String text) {
    out.println(text);
  }

  /** Prints rows under a header, each column as wide as its widest cell. */
  void table(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  static String time(Long epochMillis) {
    return epochMillis == null ? "" : Instant.ofEpochMilli(epochMillis).toString();
  }

  static String brief(String text, int max) {
    if (text == null) {
      return "";
    }
    String flat = text.replace('\n', ' ');
    return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
  }

  /** The stored JSON as a tree, so JSON output nests it instead of quoting it. */
  static JsonNode tree(String storedJson) {
    if (storedJson == null) {
      return null;
    }
    try {
      return JSON.readTree(storedJson);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(storedJson);
    }
  }

  static Map<String, Object> execution(ExecutionRecord e) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", e.id().value());
    map.put("task", e.task());
    map.put("queue", e.queue());
    map.put("state", e.state().storedName());
    map.put("attempt", e.attempt());
    map.put("maxAttempts", e.maxAttempts());
    map.put("priority", e.priority());
    map.put("tags", e.tags());
    map.put("createdAt", time(e.createdAt()));
    map.put("scheduledFor", time(e.scheduledFor()));
    map.put("startedAt", time(e.startedAt()));
    map.put("finishedAt", time(e.finishedAt()));
    map.put("expiresAt", time(e.expiresAt()));
    map.put("workerId", e.workerId());
    map.put("leaseExpiresAt", time(e.leaseExpiresAt()));
    map.put("idempotencyKey", e.idempotencyKey());
    map.put("parentId", e.parentId() == null ? null : e.parentId().value());
    map.put("input", tree(e.inputJson()));
    map.put("hasResult", e.resultJson() != null);
    map.put("result", tree(e.resultJson()));
    map.put("error", e.error());
    return map;
  }

  static Map<String, Object> step(StepRecord s) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("sequence", s.sequence());
    map.put("name", s.name());
    map.put("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT));
    map.put("status", s.status().name().toLowerCase(java.util.Locale.ROOT));
    map.put("outcome", tree(s.outcomeJson()));
    map.put("deadline", time(s.deadline()));
    map.put("recordedAt", time(s.recordedAt()));
    return map;
  }

  static Map<String, Object> deadLetter(DeadLetter d) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", d.executionId().value());
    map.put("task", d.task());
    map.put("queue", d.queue());
    map.put("attempts", d.attempts());
    map.put("failedAt", time(d.failedAt()));
    map.put("error", d.error());
    return map;
  }
}
