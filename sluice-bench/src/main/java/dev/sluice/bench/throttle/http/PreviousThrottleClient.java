package dev.sluice.bench.throttle.http;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * An earlier build of the throttle, loaded from its own {@code sluice-core} jar in a class loader
 * of its own and driven the same way as {@link SluiceThrottleClient}, so both sit in one table.
 */
final class PreviousThrottleClient implements GridClient {
  private final String label;
  private final URLClassLoader loader;

  PreviousThrottleClient(Path jar, String label) {
    this.label = label;
    try {
      this.loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("--previous-jar is not a file path, was " + jar, e);
    }
  }

  @Override
  public String name() {
    return label;
  }

  @Override
  public void run(HttpClient http, URI uri, int callers, Duration length, GridCell cell)
      throws InterruptedException {
    Object throttle;
    Method acquire;
    Method closeThrottle;
    Method recordHeaders;
    Method recordSuccess;
    Method recordFailure;
    Method recordIgnored;
    Method closePermit;
    try {
      Class<?> configType = loader.loadClass("dev.sluice.throttle.ThrottleConfig");
      Object builder = configType.getMethod("builder").invoke(null);
      builder.getClass().getMethod("maxConcurrency", int.class).invoke(builder, 32);
      Object config = builder.getClass().getMethod("build").invoke(builder);
      Class<?> throttleType = loader.loadClass("dev.sluice.throttle.Throttle");
      throttle = throttleType.getMethod("create", configType).invoke(null, config);
      acquire = throttleType.getMethod("acquire");
      closeThrottle = throttleType.getMethod("close");
      Class<?> permitType = loader.loadClass("dev.sluice.throttle.Permit");
      recordHeaders = permitType.getMethod("recordHeaders", Map.class);
      recordSuccess = permitType.getMethod("recordSuccess");
      recordFailure = permitType.getMethod("recordFailure", Throwable.class);
      recordIgnored = permitType.getMethod("recordIgnored");
      closePermit = permitType.getMethod("close");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the previous throttle's jar lacks the permit API", e);
    }
    long end = System.nanoTime() + length.toNanos();
    Callers.run(
        callers,
        length,
        () -> invokeQuietly(closeThrottle, throttle),
        () -> {
          Object permit;
          try {
            permit = acquire.invoke(throttle);
          } catch (InvocationTargetException e) {
            return false; // closed
          }
          try {
            if (Callers.over(end)) {
              recordIgnored.invoke(permit);
              return false;
            }
            HttpResponse<Void> response =
                http.send(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
            recordHeaders.invoke(permit, response.headers().map());
            if (response.statusCode() == 429) {
              recordFailure.invoke(permit, new IOException("HTTP 429"));
            } else {
              recordSuccess.invoke(permit);
            }
            return true;
          } finally {
            closePermit.invoke(permit);
          }
        });
    invokeQuietly(closeThrottle, throttle);
  }

  private static void invokeQuietly(Method method, Object target) {
    try {
      method.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
