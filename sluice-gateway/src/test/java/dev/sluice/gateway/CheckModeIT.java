package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.time.ManualTimeSource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decision-only mode over real HTTP, asked as nginx's {@code auth_request} asks. */
class CheckModeIT {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ManualTimeSource time = new ManualTimeSource();
  private Gateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private void start() {
    gateway =
        Gateway.of(
                GatewayConfigLoader.parse(
                    """
                    [gateway]
                    mode = "check"
                    listen = "127.0.0.1:0"

                    [admin]
                    listen = "127.0.0.1:0"

                    [identity]
                    trusted-proxies = ["127.0.0.1/32"]

                    # a day's window: no permit comes back while the test runs
                    [[defaults.limits]]
                    id = "per-day"
                    quota = 100
                    window = "1d"

                    [[rules]]
                    id = "compute"
                    path = "/compute/**"
                    limits = [{ id = "per-day", quota = 2, window = "1d" }]
                    """,
                    Map.of()),
                time)
            .start();
  }

  private HttpResponse<String> check(String method, String uri, String client) throws Exception {
    return this.client.send(
        HttpRequest.newBuilder(gateway.publicUri().resolve("/check"))
            .header("X-Original-Method", method)
            .header("X-Original-URI", uri)
            .header("X-Forwarded-For", client)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theOriginalRequestIsJudgedByItsPathAndClient() throws Exception {
    start();

    HttpResponse<String> first = check("POST", "/compute/run?x=1", "203.0.113.9");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEmpty();
    assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
    assertThat(check("POST", "/compute/run", "203.0.113.9").statusCode()).isEqualTo(200);

    HttpResponse<String> refused = check("POST", "/compute/run", "203.0.113.9");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.body()).contains("\"status\":429");

    // another client, and another path of the same client, have their own budgets
    assertThat(check("POST", "/compute/run", "203.0.113.10").statusCode()).isEqualTo(200);
    HttpResponse<String> items = check("GET", "/items", "203.0.113.9");
    assertThat(items.statusCode()).isEqualTo(200);
    assertThat(items.headers().firstValue("X-RateLimit-Remaining")).hasValue("99");
  }

  @Test
  void theLimitsAndTheConfigVersionReadTheGatewaysTimeSource() throws Exception {
    start();
    for (int i = 0; i < 2; i++) {
      assertThat(check("POST", "/compute/run", "203.0.113.20").statusCode()).isEqualTo(200);
    }
    assertThat(check("POST", "/compute/run", "203.0.113.20").statusCode()).isEqualTo(429);

    time.advance(Duration.ofDays(1)); // the day's window is whole again on the gateway's clock
    assertThat(check("POST", "/compute/run", "203.0.113.20").statusCode()).isEqualTo(200);
    String config =
        client
            .send(
                HttpRequest.newBuilder(gateway.adminUri().resolve("/admin/config")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(config).contains("\"loaded_at\":\"" + ManualTimeSource.DEFAULT_START + "\"");
  }

  @Test
  void anUndecodableOriginalPathIsJudgedAsWrittenNeverA500() throws Exception {
    start();

    assertThat(check("GET", "/bad%zz/path", "203.0.113.9").statusCode()).isEqualTo(200);
  }
}
