package dev.sluice.http;

/** The two ways an application puts the limiter in front: both must behave the same. */
enum Adapter {
  SERVLET_FILTER,
  JETTY_HANDLER;

  Servers start(HttpRateLimiter limiter) throws Exception {
    return this == SERVLET_FILTER ? Servers.withFilter(limiter) : Servers.withHandler(limiter);
  }
}
