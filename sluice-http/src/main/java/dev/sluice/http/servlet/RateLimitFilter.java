package dev.sluice.http.servlet;

import dev.sluice.http.HttpOutcome;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.config.TomlConfigLoader;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Jakarta Servlet 6 filter that applies an {@link HttpRateLimiter} to every request: rate-limit
 * headers are set before the application runs (so they are on its 200s and 500s alike), and refused
 * requests are answered 429 with a problem body without reaching it.
 *
 * <p>Build it from code with {@link #RateLimitFilter(HttpRateLimiter)}, or register it by class
 * name with the init parameter {@value #CONFIG_PARAMETER} naming a TOML policy file.
 */
public final class RateLimitFilter implements Filter {
  /** The init parameter naming the TOML configuration file. */
  public static final String CONFIG_PARAMETER = "sluice.config";

  private volatile @Nullable HttpRateLimiter limiter;

  /** A filter configured at {@link #init} from the {@value #CONFIG_PARAMETER} init parameter. */
  public RateLimitFilter() {}

  /**
   * A filter over a limiter built in code.
   *
   * @param limiter the limiter
   */
  public RateLimitFilter(HttpRateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    if (limiter != null) {
      return;
    }
    String file = config.getInitParameter(CONFIG_PARAMETER);
    if (file == null || file.isBlank()) {
      throw new ServletException(
          "filter init parameter " + CONFIG_PARAMETER + " must name a TOML file, was missing");
    }
    limiter =
        HttpRateLimiter.builder(TomlConfigLoader.load(Path.of(file), System.getenv())).build();
  }

  /**
   * The limiter this filter applies.
   *
   * @return the limiter
   */
  public HttpRateLimiter limiter() {
    return limiter;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    HttpOutcome outcome = limiter.decide(new View(request));
    outcome.forEachHeader(response::setHeader);
    if (outcome.proceed()) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = outcome.body();
    response.setStatus(outcome.status());
    response.setContentType(outcome.contentType());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private record View(HttpServletRequest request) implements HttpRequestView {
    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      String servletPath = request.getServletPath();
      String info = request.getPathInfo();
      String path = (servletPath == null ? "" : servletPath) + (info == null ? "" : info);
      return path.isEmpty() ? "/" : path;
    }

    @Override
    public String peerAddress() {
      return request.getRemoteAddr();
    }

    @Override
    public List<String> headers(String name) {
      var values = request.getHeaders(name);
      return values == null ? List.of() : Collections.list(values);
    }
  }
}
