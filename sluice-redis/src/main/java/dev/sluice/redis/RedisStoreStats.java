package dev.sluice.redis;

import dev.sluice.breaker.CircuitState;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts of a {@link RedisStore} since it was created, for metrics and for telling how much of the
 * traffic Redis decided and how Redis failed when it did not.
 *
 * @param redis decisions made by the script on Redis
 * @param overLimitCache refusals made by the local over-limit cache
 * @param failOpen decisions allowed because Redis was away
 * @param failClosed decisions denied because Redis was away
 * @param fallback decisions made by the local fallback store
 * @param retries script calls sent again after a transient error
 * @param failures decisions on which Redis failed (after retries) or the breaker refused the call
 * @param scriptReloads calls on which Redis did not know the script ({@code NOSCRIPT}) and the
 *     store sent it again; the load when the store connects is not counted
 * @param errors failed script calls by kind, every kind present; a retried call counts each
 *     attempt, a call the breaker refused is no error (but a failure)
 * @param breakerTransitions transitions of the breaker around Redis, by the state entered, every
 *     state present
 */
public record RedisStoreStats(
    long redis,
    long overLimitCache,
    long failOpen,
    long failClosed,
    long fallback,
    long retries,
    long failures,
    long scriptReloads,
    Map<RedisErrorKind, Long> errors,
    Map<CircuitState, Long> breakerTransitions) {

  /**
   * Copies the maps, a kind or a state left out counting 0.
   *
   * @throws NullPointerException if a map is null
   */
  public RedisStoreStats {
    errors = complete(RedisErrorKind.class, Objects.requireNonNull(errors, "errors"));
    breakerTransitions =
        complete(
            CircuitState.class, Objects.requireNonNull(breakerTransitions, "breakerTransitions"));
  }

  /**
   * The failed script calls of one kind.
   *
   * @param kind the kind
   * @return the count, 0 or more
   */
  public long errors(RedisErrorKind kind) {
    return errors.get(Objects.requireNonNull(kind, "kind"));
  }

  /**
   * The transitions of the breaker into one state.
   *
   * @param to the state entered
   * @return the count, 0 or more
   */
  public long breakerTransitions(CircuitState to) {
    return breakerTransitions.get(Objects.requireNonNull(to, "to"));
  }

  private static <K extends Enum<K>> Map<K, Long> complete(Class<K> type, Map<K, Long> counts) {
    EnumMap<K, Long> all = new EnumMap<>(type);
    for (K key : type.getEnumConstants()) {
      Long count = counts.get(key);
      all.put(key, count == null ? 0L : count);
    }
    return Collections.unmodifiableMap(all);
  }
}
