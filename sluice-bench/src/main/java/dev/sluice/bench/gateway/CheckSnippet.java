package dev.sluice.bench.gateway;

/**
 * The nginx decision-only snippet of {@code docs/gateway.md}, word for word, which the benchmark
 * runs against Debian's nginx with its own ports in place of {@code 9000} (the API) and {@code
 * 8080} (the gateway in check mode). Keep the two in step.
 */
final class CheckSnippet {
  /** The {@code http {}} part: keep-alive pools to the API and to the gateway. */
  static final String UPSTREAMS =
      """
      upstream app {
          server 127.0.0.1:9000;
          keepalive 64;
      }
      upstream sluice {
          server 127.0.0.1:8080;               # the gateway, [gateway] mode = "check"
          keepalive 64;
      }
      """;

  /** The {@code server {}} part. */
  static final String LOCATIONS =
      """
      location / {
          auth_request /sluice-check;
          auth_request_set $sluice_status $upstream_status;
          auth_request_set $sluice_ratelimit $upstream_http_ratelimit;
          auth_request_set $sluice_policy $upstream_http_ratelimit_policy;
          auth_request_set $sluice_retry_after $upstream_http_retry_after;
          add_header RateLimit $sluice_ratelimit always;
          add_header RateLimit-Policy $sluice_policy always;
          # nginx answers 500 to any check status but 2xx, 401 and 403; told apart below
          error_page 500 = @sluice_refused;
          proxy_pass http://app;
          proxy_http_version 1.1;
          proxy_set_header Connection "";
      }
      location = /sluice-check {
          internal;
          proxy_pass http://sluice/check;
          proxy_http_version 1.1;
          proxy_set_header Connection "";
          proxy_pass_request_body off;
          proxy_set_header Content-Length "";
          proxy_set_header X-Original-Method $request_method;
          proxy_set_header X-Original-URI $request_uri;
          proxy_set_header X-Forwarded-For $remote_addr;
      }
      location @sluice_refused {
          default_type application/problem+json;
          if ($sluice_status = 429) {
              add_header RateLimit $sluice_ratelimit always;
              add_header RateLimit-Policy $sluice_policy always;
              add_header Retry-After $sluice_retry_after always;
              return 429 '{"title":"Too Many Requests","status":429}\\n';
          }
          return 500;                          # the gateway could not be asked: fail closed
      }
      """;

  private CheckSnippet() {}

  /** The upstream blocks with these ports. */
  static String upstreams(int apiPort, int gatewayPort) {
    return UPSTREAMS
        .replace("127.0.0.1:9000;", "127.0.0.1:" + apiPort + ";")
        .replace("127.0.0.1:8080;", "127.0.0.1:" + gatewayPort + ";");
  }
}
