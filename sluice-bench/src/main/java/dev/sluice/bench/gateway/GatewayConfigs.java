package dev.sluice.bench.gateway;

/**
 * The {@code gateway.toml} files of the benchmark. Every gateway has the same two rules: {@code
 * /accuracy/**} with a quota the accuracy run exceeds ({@code gcra}, the default algorithm, burst =
 * quota, refilled at quota per day, so nothing is refilled during the run), and every other path at
 * 1,000,000 per second per client, far above any offered load: each request is decided (counted, in
 * memory or in Redis) and admitted, so the latency runs measure the allow path.
 */
final class GatewayConfigs {
  private GatewayConfigs() {}

  /** A gateway in proxy mode in front of {@code upstream}; {@code redisUri} null: in memory. */
  static String proxy(String upstream, String redisUri, long accuracyQuota) {
    return """
        [gateway]
        listen = "127.0.0.1:0"
        upstream = "%s"

        [admin]
        listen = "127.0.0.1:0"
        %s
        %s"""
        .formatted(upstream, store(redisUri), limits(accuracyQuota));
  }

  /**
   * A gateway in decision-only mode ({@code GET /check}) for nginx's {@code auth_request}, which
   * forwards the client's address from 127.0.0.1; {@code /limited/**} admits one request a day, for
   * the check of the refusal path through nginx.
   */
  static String check(long accuracyQuota) {
    return """
        [gateway]
        listen = "127.0.0.1:0"
        mode = "check"

        [admin]
        listen = "127.0.0.1:0"

        [identity]
        trusted-proxies = ["127.0.0.1/32"]
        %s
        [[rules]]
        id = "limited"
        path = "/limited/**"
        limits = [{ id = "per-day", quota = 1, window = "1d" }]
        """
        .formatted(limits(accuracyQuota));
  }

  private static String store(String redisUri) {
    if (redisUri == null) {
      return """

          [store]
          kind = "memory"
          """;
    }
    return """

        [store]
        kind = "redis"
        url = "%s"
        fail-mode = "closed"
        command-timeout = "1s"
        """
        .formatted(redisUri);
  }

  private static String limits(long accuracyQuota) {
    return """

        [[defaults.limits]]
        id = "per-second"
        quota = 1000000
        window = "1s"

        [[rules]]
        id = "accuracy"
        path = "/accuracy/**"
        limits = [{ id = "per-day", quota = %d, window = "1d" }]
        """
        .formatted(accuracyQuota);
  }
}
