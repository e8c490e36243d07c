package dev.sluice.redis;

import dev.sluice.internal.ListenerFanout;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Tells every listener of a store about a call. A listener that throws is logged, the first time at
 * {@code WARNING} with its stack trace and later at {@code DEBUG}, and skipped: it never breaks a
 * decision.
 */
final class StoreListeners implements RedisStoreListener {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());

  private final ListenerFanout<RedisStoreListener> fanout;

  private StoreListeners(String endpoints, List<RedisStoreListener> listeners) {
    this.fanout = new ListenerFanout<>(LOG, "redis store " + endpoints, listeners);
  }

  /** The listeners of a configuration, or null when it has none (so nothing is timed). */
  static @Nullable StoreListeners of(RedisStoreConfig config) {
    return config.listeners().isEmpty()
        ? null
        : new StoreListeners(config.connection().endpoints().toString(), config.listeners());
  }

  @Override
  public void onCommand(long nanos, boolean succeeded) {
    fanout.tell("onCommand", l -> l.onCommand(nanos, succeeded));
  }

  @Override
  public void onError(RedisErrorKind kind) {
    fanout.tell("onError", l -> l.onError(kind));
  }

  @Override
  public void onScriptReload() {
    fanout.tell("onScriptReload", RedisStoreListener::onScriptReload);
  }
}
