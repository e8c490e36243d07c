package dev.sluice.throttle.sim;

import java.util.List;
import java.util.Map;

/**
 * What the simulated server answered.
 *
 * @param status 200 or 429
 * @param headers the response's header fields (empty without headers)
 */
public record SimResponse(int status, Map<String, List<String>> headers) {
  /** Whether the server rejected the request for being over its limit. */
  public boolean rejected() {
    return status == 429;
  }
}
