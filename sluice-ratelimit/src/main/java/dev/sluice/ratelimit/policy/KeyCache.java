package dev.sluice.ratelimit.policy;

import org.jspecify.annotations.Nullable;

/**
 * The store keys of recently seen clients, so a client's next request reuses its key instead of
 * building it again: no concatenation, and a key whose hash is already computed for the store's
 * map. A small direct-mapped table: a slot holds the last key that hashed to it, and a miss builds
 * the key and takes the slot. Slots are immutable and published by a plain write (their fields are
 * final), so a racing reader sees either a whole slot or an older one; either is checked before it
 * is used. Safe for concurrent use.
 */
final class KeyCache {
  private static final int SLOTS = 1024;

  private final Slot[] slots = new Slot[SLOTS];

  /** A built key and the parts it was built from. */
  private record Slot(
      String scope,
      @Nullable String userId,
      @Nullable String clientKey,
      @Nullable String address,
      String key) {}

  /**
   * The key of a request's client within a scope, as {@link Request#scopedIdentity} builds it.
   *
   * @param scope the rule id or another scope name
   * @param request the request
   * @return the key
   */
  String scoped(String scope, Request request) {
    String userId = request.userId();
    String clientKey = userId == null ? request.clientKey() : null;
    String address = userId == null && clientKey == null ? request.clientAddress() : null;
    String part = userId != null ? userId : clientKey != null ? clientKey : address;
    int index = spread(part.hashCode() * 31 + scope.hashCode()) & (SLOTS - 1);
    Slot slot = slots[index];
    if (slot != null
        && slot.scope.equals(scope)
        && same(slot.userId, userId)
        && same(slot.clientKey, clientKey)
        && same(slot.address, address)) {
      return slot.key;
    }
    String key = request.scopedIdentity(scope);
    slots[index] = new Slot(scope, userId, clientKey, address, key);
    return key;
  }

  private static boolean same(@Nullable String held, @Nullable String wanted) {
    return held == null ? wanted == null : held.equals(wanted);
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
