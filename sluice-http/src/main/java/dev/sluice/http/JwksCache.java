package dev.sluice.http;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.sluice.time.TimeSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWKS document fetched from a URL and cached. It is fetched again when older than its maximum
 * age, or when a token names a {@code kid} it does not hold; fetches are at least {@code
 * minInterval} apart, so a stream of tokens with made-up key ids cannot hammer the key server. One
 * thread fetches at a time; the others go on with the keys they have (never waiting).
 */
final class JwksCache {
  private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

  private final URI uri;
  private final TimeSource time;
  private final long maxAgeNanos;
  private final long minIntervalNanos;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicReference<JWKSet> keys = new AtomicReference<>();
  private final AtomicLong fetchedAt = new AtomicLong();
  private final AtomicLong attemptedAt = new AtomicLong();
  private final AtomicLong fetches = new AtomicLong();
  private final ReentrantLock fetching = new ReentrantLock();

  JwksCache(URI uri, TimeSource time, Duration maxAge, Duration minInterval) {
    this.uri = uri;
    this.time = time;
    this.maxAgeNanos = maxAge.toNanos();
    this.minIntervalNanos = minInterval.toNanos();
  }

  /** The keys for a token's key id (all keys when it names none), refreshing as described. */
  List<JWK> keysFor(String kid) {
    JWKSet set = keys.get();
    long now = time.nanoTime();
    List<JWK> found = set == null ? List.of() : select(set, kid);
    boolean stale = set == null || now - fetchedAt.get() > maxAgeNanos;
    if ((stale || found.isEmpty()) && mayFetch(now)) {
      refresh(now);
      set = keys.get();
      found = set == null ? List.of() : select(set, kid);
    }
    return found;
  }

  private boolean mayFetch(long now) {
    return fetches.get() == 0 || now - attemptedAt.get() >= minIntervalNanos;
  }

  /** How many times the document was fetched. */
  long fetches() {
    return fetches.get();
  }

  private static List<JWK> select(JWKSet set, String kid) {
    return kid == null
        ? set.getKeys()
        : set.getKeys().stream().filter(k -> kid.equals(k.getKeyID())).toList();
  }

  private void refresh(long now) {
    if (!fetching.tryLock()) {
      return;
    }
    try {
      if (!mayFetch(now)) {
        return; // another thread fetched meanwhile
      }
      attemptedAt.set(now);
      fetches.incrementAndGet();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.warn("JWKS {} answered {}; keeping the keys held", uri, response.statusCode());
        return;
      }
      keys.set(JWKSet.parse(response.body()));
      fetchedAt.set(now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("JWKS {} could not be fetched ({}); keeping the keys held", uri, e.toString());
    } finally {
      fetching.unlock();
    }
  }
}
