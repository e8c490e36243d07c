package dev.sluice.durable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Inputs, results, step outcomes and signal payloads as JSON text. */
final class JsonCodec {
  private final ObjectMapper mapper;

  JsonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  String write(Object value, String what) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new DurableException("cannot write " + what + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  <T> T read(String json, Class<T> type, String what) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new DurableException(
          "cannot read " + what + " as " + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }
}
