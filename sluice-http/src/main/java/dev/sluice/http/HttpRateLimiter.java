package dev.sluice.http;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.config.RateLimitConfig;
import dev.sluice.ratelimit.policy.PenaltyStore;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.PolicyEnforcer;
import dev.sluice.ratelimit.policy.Request;
import dev.sluice.ratelimit.policy.Verdict;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.TimeSource;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one decision path of the HTTP layer: a request view in, an {@link HttpOutcome} out (pass with
 * rate-limit headers, or a complete 429). The servlet filter and the Jetty handler only translate
 * to and from it; anything else can call {@link #decide} directly. Safe for concurrent use.
 *
 * <pre>{@code
 * HttpRateLimiter limiter = HttpRateLimiter.builder(policy)
 *     .identity(ClientIdentity.builder().trustedProxies(List.of("10.0.0.0/8")).build())
 *     .documentationUrl("https://api.example.com/docs/limits")
 *     .build();
 * HttpOutcome outcome = limiter.decide(view);
 * }</pre>
 *
 * <p><b>Bad input, decided once.</b> A path longer than {@link #MAX_PATH_LENGTH} characters is
 * refused with 414 before anything is counted. Forwarding-header garbage makes the client count as
 * the socket peer (see {@link ClientIdentity}). A duplicated or oversized {@code Authorization}
 * header is a failed token. Paths are matched as the container decoded them; non-ASCII characters
 * are compared as they are.
 */
public final class HttpRateLimiter {
  /** The longest path decided on; longer ones are answered 414. */
  public static final int MAX_PATH_LENGTH = 8192;

  /** By default one decision in this many is timed for {@link DecisionEvent#decisionNanos()}. */
  public static final int DEFAULT_TIMING_SAMPLE = 16;

  /** The sparsest timing sample allowed: one decision in this many. */
  public static final int MAX_TIMING_SAMPLE = 1 << 16;

  private static final Logger LOG = LoggerFactory.getLogger(HttpRateLimiter.class);

  private final PolicyEnforcer enforcer;
  private final TimeSource time;
  private final ClientIdentity identity;
  private final @Nullable TokenVerifier tokens;
  private final InvalidTokenAction onInvalidToken;
  private final RateLimitFields fields;
  private final @Nullable String documentationUrl;
  private final @Nullable DecisionListener listener;
  private final int timingSample;
  private final AtomicBoolean listenerFailureLogged = new AtomicBoolean();

  private HttpRateLimiter(Builder b) {
    this.enforcer = b.enforcer;
    this.time = b.enforcer.timeSource();
    this.identity = b.identity;
    this.tokens = b.tokens;
    this.onInvalidToken = b.onInvalidToken;
    this.fields = new RateLimitFields(b.dialect);
    this.documentationUrl = b.documentationUrl;
    this.listener = b.listener;
    this.timingSample = b.timingSample;
  }

  /**
   * Starts a limiter for a policy, on an in-memory store and the system time by default.
   *
   * @param policy the policy
   * @return a builder
   */
  public static Builder builder(Policy policy) {
    return new Builder(Objects.requireNonNull(policy, "policy"));
  }

  /**
   * Starts a limiter from a loaded configuration: its policy, in-memory bounds and the client
   * identity of its {@code [http.identity]} table (see {@code docs/http.md}).
   *
   * @param config the configuration, such as {@code TomlConfigLoader.load(...)} returns
   * @return a builder
   * @throws dev.sluice.ratelimit.RateLimitConfigException if the {@code [http]} table breaks a rule
   */
  public static Builder builder(RateLimitConfig config) {
    Builder b = new Builder(config.policy());
    b.identity = ClientIdentity.from(config);
    b.limiter = RateLimiter.builder().store(MemoryStore.withMaxKeys(config.maxKeys())).build();
    b.maxPenalized = config.maxPenalizedClients();
    return b;
  }

  /**
   * Starts a limiter that decides through an existing enforcer: its policy, limiter, counters and
   * penalties are shared, so a configuration reload can change identity, token or header settings
   * by building a new limiter on the old enforcer without losing any state. A new policy is put in
   * force with {@link PolicyEnforcer#reload}.
   *
   * @param enforcer the enforcer to share
   * @return a builder; its {@link Builder#limiter} and {@link Builder#penalties} settings are
   *     ignored
   */
  public static Builder builder(PolicyEnforcer enforcer) {
    Objects.requireNonNull(enforcer, "enforcer");
    Builder b = new Builder(enforcer.policy());
    b.enforcer = enforcer;
    b.limiter = null;
    return b;
  }

  /**
   * The enforcer, to reload the policy at run time.
   *
   * @return the enforcer
   */
  public PolicyEnforcer enforcer() {
    return enforcer;
  }

  /**
   * Decides on one request and charges it unless it is refused, exempt or unlimited.
   *
   * @param request the request
   * @return the outcome
   */
  public HttpOutcome decide(HttpRequestView request) {
    boolean timed = timed();
    long started = timed ? time.nanoTime() : 0;
    String path = request.path();
    if (path.length() > MAX_PATH_LENGTH) {
      return refusal(
          414,
          "URI Too Long",
          "The path is longer than " + MAX_PATH_LENGTH + " characters.",
          request);
    }
    String address = identity.clientAddress(request);
    TokenResult token = TokenResult.ABSENT;
    if (tokens != null) {
      token = tokens.verify(request.headers("Authorization"));
      if (token.failure() != null && onInvalidToken == InvalidTokenAction.REJECT) {
        return refusal(401, "Unauthorized", "The bearer token was not accepted.", request);
      }
    }
    Request policyRequest;
    if (token.verified()) {
      policyRequest =
          Request.authenticated(request.method(), path, address, token.userId(), token.tier());
    } else {
      String keyed = identity.apiKeyIdentity(request);
      policyRequest =
          keyed == null
              ? Request.anonymous(request.method(), path, address)
              : Request.keyed(request.method(), path, address, keyed);
    }
    Verdict verdict = enforcer.evaluate(policyRequest);
    Decision decision = verdict.decision();
    HttpOutcome outcome;
    if (verdict.blocked()) {
      long seconds = RateLimitFields.retryAfterSeconds(verdict.retryAfterNanos());
      String[] headers = fields.fields(decision, 2);
      int at = fields.count(decision);
      headers[at] = "Retry-After";
      headers[at + 1] = RateLimitFields.number(seconds);
      String body = ProblemBody.quotaExceeded(verdict, seconds, documentationUrl);
      outcome = new HttpOutcome(429, headers, mediaType(request), body, verdict, policyRequest);
    } else {
      outcome = new HttpOutcome(0, fields.fields(decision, 0), null, null, verdict, policyRequest);
    }
    if (listener != null) {
      long nanos = !timed ? -1 : Math.max(0, time.nanoTime() - started);
      notify(new DecisionEvent(verdict, policyRequest, token.failure(), nanos));
    }
    return outcome;
  }

  /** Whether this decision is one of those timed: reading the ticker twice costs ~50 ns. */
  private boolean timed() {
    if (listener == null) {
      return false;
    }
    return timingSample == 1 || ThreadLocalRandom.current().nextInt(timingSample) == 0;
  }

  private HttpOutcome refusal(int status, String title, String detail, HttpRequestView request) {
    return new HttpOutcome(
        status,
        new String[0],
        mediaType(request),
        ProblemBody.simple(status, title, detail),
        null,
        null);
  }

  /** problem+json, unless the client asks for plain JSON and not for problem+json. */
  private static String mediaType(HttpRequestView request) {
    for (String accept : request.headers("Accept")) {
      if (accept.contains("application/problem+json")) {
        return "application/problem+json";
      }
      if (accept.contains("application/json")) {
        return "application/json";
      }
    }
    return "application/problem+json";
  }

  private void notify(DecisionEvent event) {
    try {
      listener.onDecision(event);
    } catch (RuntimeException e) {
      if (listenerFailureLogged.compareAndSet(false, true)) {
        LOG.warn("decision listener failed; further failures are not logged", e);
      }
    }
  }

  /** Collects the parts of an {@link HttpRateLimiter}. */
  public static final class Builder {
    private final Policy policy;
    private @Nullable RateLimiter limiter = RateLimiter.builder().build();
    private @Nullable PolicyEnforcer enforcer;
    private long maxPenalized = PolicyEnforcer.DEFAULT_MAX_PENALIZED_CLIENTS;
    private @Nullable PenaltyStore penalties;
    private ClientIdentity identity = ClientIdentity.socketPeer();
    private @Nullable TokenVerifier tokens;
    private InvalidTokenAction onInvalidToken = InvalidTokenAction.ANONYMOUS;
    private HeaderDialect dialect = HeaderDialect.BOTH;
    private @Nullable String documentationUrl;
    private @Nullable DecisionListener listener;
    private int timingSample = DEFAULT_TIMING_SAMPLE;

    private Builder(Policy policy) {
      this.policy = policy;
    }

    /**
     * Sets the limiter (its store and time source); in-memory and system time by default.
     *
     * @param limiter the limiter
     * @return this builder
     */
    public Builder limiter(RateLimiter limiter) {
      Objects.requireNonNull(limiter, "limiter");
      if (enforcer == null) {
        this.limiter = limiter;
      }
      return this;
    }

    /**
     * Sets where violations and progressive penalties are kept; in the process by default (bounded
     * by the configuration's {@code limiter.max-penalized-clients}). A store shared by several
     * nodes, such as {@code RedisStore.penalties(...)}, makes a penalty follow a client from one
     * node to another.
     *
     * @param store the penalty store
     * @return this builder
     */
    public Builder penalties(PenaltyStore store) {
      Objects.requireNonNull(store, "store");
      if (enforcer == null) {
        this.penalties = store;
      }
      return this;
    }

    /**
     * Sets how the client's address is found; the socket peer by default.
     *
     * @param identity the identity settings
     * @return this builder
     */
    public Builder identity(ClientIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /**
     * Verifies bearer tokens so verified users are counted by user and tier; off by default.
     *
     * @param verifier the verifier
     * @return this builder
     */
    public Builder tokens(@Nullable TokenVerifier verifier) {
      this.tokens = verifier;
      return this;
    }

    /**
     * Sets what happens to a request whose token fails; counted anonymous by default.
     *
     * @param action the action
     * @return this builder
     */
    public Builder onInvalidToken(InvalidTokenAction action) {
      this.onInvalidToken = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * Sets which rate-limit headers are sent; both dialects by default.
     *
     * @param dialect the dialect
     * @return this builder
     */
    public Builder dialect(HeaderDialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Sets the {@code documentation-url} of 429 bodies; none by default.
     *
     * @param url the URL of the API's rate-limit documentation
     * @return this builder
     */
    public Builder documentationUrl(@Nullable String url) {
      this.documentationUrl = url;
      return this;
    }

    /**
     * Observes every decision; none by default.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(@Nullable DecisionListener listener) {
      this.listener = listener;
      return this;
    }

    /**
     * Sets how many decisions share one timing: one in {@code oneIn}, picked at random, reports its
     * {@link DecisionEvent#decisionNanos()}; the others report -1. Timing reads the ticker twice,
     * which costs about a third of a decision, so by default one decision in {@value
     * #DEFAULT_TIMING_SAMPLE} is timed, enough for a latency histogram; 1 times every decision.
     * Only matters with a listener.
     *
     * @param oneIn 1 to {@value #MAX_TIMING_SAMPLE}
     * @return this builder
     * @throws RateLimitConfigException if {@code oneIn} is out of range
     */
    public Builder timingSample(int oneIn) {
      if (oneIn < 1 || oneIn > MAX_TIMING_SAMPLE) {
        throw new RateLimitConfigException(
            "http.timing-sample must be in 1.." + MAX_TIMING_SAMPLE + ", was " + oneIn);
      }
      this.timingSample = oneIn;
      return this;
    }

    /**
     * Builds.
     *
     * @return the limiter
     */
    public HttpRateLimiter build() {
      if (enforcer == null) {
        enforcer =
            PolicyEnforcer.create(
                policy,
                limiter,
                penalties != null ? penalties : PenaltyStore.inMemory(maxPenalized));
      }
      return new HttpRateLimiter(this);
    }
  }
}
