package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import java.util.Objects;

/**
 * What a suspended execution waits for, so the event can make it due at once instead of at its
 * deadline.
 *
 * @param kind a signal or a child execution
 * @param key the signal name, or the child's id
 */
public record Awaiting(Kind kind, String key) {

  /** The kinds of event an execution can wait for. */
  public enum Kind {
    /** A signal with the given name. */
    SIGNAL,
    /** The end of the child execution with the given id. */
    CHILD
  }

  /** Validates the fields. */
  public Awaiting {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
  }

  /**
   * Waiting for a signal.
   *
   * @param name the signal name
   * @return the awaited event
   */
  public static Awaiting signal(String name) {
    return new Awaiting(Kind.SIGNAL, name);
  }

  /**
   * Waiting for a child to end.
   *
   * @param child the child's id
   * @return the awaited event
   */
  public static Awaiting child(ExecutionId child) {
    return new Awaiting(Kind.CHILD, child.value());
  }

  /**
   * The stored form, {@code signal:<name>} or {@code child:<id>}.
   *
   * @return the text kept in the execution row
   */
  public String stored() {
    return (kind == Kind.SIGNAL ? "signal:" : "child:") + key;
  }
}
