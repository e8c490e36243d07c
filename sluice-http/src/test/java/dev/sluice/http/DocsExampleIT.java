package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.servlet.RateLimitFilter;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.policy.Policy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The plain-Jetty example of docs/http.md, as it is written there. */
class DocsExampleIT {
  static class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getWriter().write("hello");
    }
  }

  @Test
  void theFilterInPlainJetty() throws Exception {
    // --- docs/http.md: plain Jetty ---
    Policy policy =
        Policy.builder()
            .defaults(List.of(Limit.of("per-minute", 100, Duration.ofMinutes(1))))
            .build();
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(policy)
            .documentationUrl("https://api.example.com/docs/rate-limits")
            .build();

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Hello()), "/*");
    context.addFilter(
        new FilterHolder(new RateLimitFilter(limiter)), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    // --- end ---
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/hello"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("hello");
      assertThat(response.headers().firstValue("RateLimit")).hasValue("\"per-minute\";r=99;t=1");
      assertThat(response.headers().firstValue("RateLimit-Policy"))
          .hasValue("\"per-minute\";q=100;w=60");
    } finally {
      server.stop();
    }
  }
}
