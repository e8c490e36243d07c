package dev.sluice.redis;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells every listener of a store about a call. A listener that throws is logged, the first time at
 * {@code WARNING} with its stack trace and later at {@code DEBUG}, and skipped: it never breaks a
 * decision.
 */
final class StoreListeners implements RedisStoreListener {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());

  private final String endpoints;
  private final RedisStoreListener[] listeners;
  private final AtomicBoolean[] failed;

  private StoreListeners(String endpoints, List<RedisStoreListener> listeners) {
    this.endpoints = endpoints;
    this.listeners = listeners.toArray(RedisStoreListener[]::new);
    this.failed = new AtomicBoolean[this.listeners.length];
    for (int i = 0; i < failed.length; i++) {
      failed[i] = new AtomicBoolean();
    }
  }

  /** The listeners of a configuration, or null when it has none (so nothing is timed). */
  static StoreListeners of(RedisStoreConfig config) {
    return config.listeners().isEmpty()
        ? null
        : new StoreListeners(config.endpoints().toString(), config.listeners());
  }

  @Override
  public void onCommand(long nanos, boolean succeeded) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onCommand(nanos, succeeded);
      } catch (RuntimeException | Error e) {
        threw(i, "onCommand", e);
      }
    }
  }

  @Override
  public void onError(RedisErrorKind kind) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onError(kind);
      } catch (RuntimeException | Error e) {
        threw(i, "onError", e);
      }
    }
  }

  @Override
  public void onScriptReload() {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onScriptReload();
      } catch (RuntimeException | Error e) {
        threw(i, "onScriptReload", e);
      }
    }
  }

  private void threw(int index, String event, Throwable e) {
    RedisStoreListener listener = listeners[index];
    if (failed[index].compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "redis store "
              + endpoints
              + ": listener "
              + listener
              + " threw in "
              + event
              + "; ignored (later throws of this listener are logged at DEBUG)",
          e);
    } else {
      LOG.log(
          System.Logger.Level.DEBUG,
          "redis store {0}: listener {1} threw in {2}: {3}",
          endpoints,
          listener,
          event,
          e);
    }
  }
}
