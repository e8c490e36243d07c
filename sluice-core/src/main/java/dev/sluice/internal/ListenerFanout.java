package dev.sluice.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Tells every listener of a component about an event, in order. A listener that throws is skipped:
 * logged the first time at {@code WARNING} with its stack trace, later at {@code DEBUG}, so a
 * faulty listener never breaks the component and never floods its log. Not part of the public API.
 *
 * @param <L> the listener type
 */
public final class ListenerFanout<L> {
  private final System.Logger log;
  private final String owner;
  private final List<L> listeners;
  private final AtomicBoolean[] failed;

  /**
   * Fans out to a fixed list.
   *
   * @param log the component's logger
   * @param owner what the log lines name, such as {@code "worker w-1"}
   * @param listeners the listeners, told in this order
   */
  public ListenerFanout(System.Logger log, String owner, List<L> listeners) {
    this.log = log;
    this.owner = owner;
    this.listeners = List.copyOf(listeners);
    this.failed = new AtomicBoolean[this.listeners.size()];
    for (int i = 0; i < failed.length; i++) {
      failed[i] = new AtomicBoolean();
    }
  }

  /**
   * Whether there is no listener, so a caller can skip measuring what it would report.
   *
   * @return true when the list is empty
   */
  public boolean isEmpty() {
    return failed.length == 0;
  }

  /**
   * Tells each listener.
   *
   * @param event the event's name, for the log
   * @param call what to tell one listener
   */
  public void tell(String event, Consumer<? super L> call) {
    for (int i = 0; i < failed.length; i++) {
      L listener = listeners.get(i);
      try {
        call.accept(listener);
      } catch (RuntimeException | Error e) {
        threw(i, listener, event, e);
      }
    }
  }

  private void threw(int index, L listener, String event, Throwable e) {
    if (failed[index].compareAndSet(false, true)) {
      log.log(
          System.Logger.Level.WARNING,
          owner
              + ": listener "
              + listener
              + " threw in "
              + event
              + "; ignored (later throws of this listener are logged at DEBUG)",
          e);
    } else {
      log.log(
          System.Logger.Level.DEBUG,
          "{0}: listener {1} threw in {2}: {3}",
          owner,
          listener,
          event,
          e);
    }
  }
}
