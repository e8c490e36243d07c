package dev.sluice.client;

import dev.sluice.SluiceException;
import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The {@link GentleHttpClient}'s behaviour for OkHttp, as an application interceptor: each attempt
 * takes a throttle permit and hands it the response's headers; 429 and 5xx (or what {@code
 * failureStatus} says) and lost connections are failures for the throttle, the breaker and the
 * retry policy, which tries again after at least the response's {@code Retry-After}; any other
 * response is returned as it is. When the retries are used up the last response is returned, its
 * body unread; a failed response that is retried is closed first.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(GentleInterceptor.builder().throttle(throttle).retry(retry).build())
 *     .build();
 * }</pre>
 *
 * <p>Add it with {@code addInterceptor}, not {@code addNetworkInterceptor}: a network interceptor
 * may not retry. The throttle's waits block the calling thread (OkHttp's dispatcher thread for
 * {@code enqueue}); an interrupted wait is an {@link InterruptedIOException}, the interrupt flag
 * set again. OkHttp is an optional dependency of {@code sluice-client}: add it yourself.
 */
public final class GentleInterceptor implements Interceptor {
  private final @Nullable Throttle throttle;
  private final CallRules rules;

  private GentleInterceptor(Builder b) {
    this.throttle = b.throttle();
    this.rules = b.rules();
  }

  /**
   * Starts a builder with no throttle, breaker or retry.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    @Nullable Response[] previous = new Response[1];
    try {
      return rules.policies.call(() -> attempt(chain, previous));
    } catch (OkHttpStatusException refused) {
      return refused.response(); // the policies gave up: the last answer, body unread
    } catch (InterruptedException e) {
      closeQuietly(previous[0]);
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting");
      interrupted.initCause(e);
      throw interrupted;
    } catch (IOException | RuntimeException e) {
      // a failed answer the policies then did not retry (an open breaker refused it): close it
      closeQuietly(previous[0]);
      throw e;
    } catch (Exception e) {
      closeQuietly(previous[0]);
      throw new SluiceException("unexpected failure calling " + chain.request().url(), e);
    }
  }

  private static void closeQuietly(@Nullable Response response) {
    if (response != null) {
      response.close();
    }
  }

  private Response attempt(Chain chain, @Nullable Response[] previous)
      throws IOException, InterruptedException {
    if (previous[0] != null) {
      previous[0].close(); // a failed answer being retried: free its connection
      previous[0] = null;
    }
    Permit permit = throttle == null ? null : throttle.acquire();
    try {
      Response response;
      try {
        response = chain.proceed(chain.request());
      } catch (IOException lost) {
        if (permit != null) {
          permit.recordFailure(lost);
        }
        throw lost;
      }
      if (permit != null) {
        permit.recordHeaders(response.headers().toMultimap());
      }
      if (rules.isFailure(response.code())) {
        OkHttpStatusException failure =
            new OkHttpStatusException(
                response,
                rules.retryAfter(response.header("Retry-After"), response.header("RateLimit")));
        previous[0] = response;
        if (permit != null) {
          permit.recordFailure(failure);
        }
        throw failure;
      }
      if (permit != null) {
        permit.recordSuccess();
      }
      return response;
    } finally {
      if (permit != null) {
        permit.close();
      }
    }
  }

  /** Builds a {@link GentleInterceptor}. */
  public static final class Builder extends GentleBuilder<Builder> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the interceptor.
     *
     * @return the interceptor
     */
    public GentleInterceptor build() {
      return new GentleInterceptor(this);
    }
  }
}
