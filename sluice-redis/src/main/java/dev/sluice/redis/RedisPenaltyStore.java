package dev.sluice.redis;

import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.PenaltyStanding;
import dev.sluice.ratelimit.policy.PenaltyStats;
import dev.sluice.ratelimit.policy.PenaltyStore;

/**
 * Progressive penalties kept in Redis beside a {@link RedisStore}'s limits, so a penalty follows a
 * client to every node: one script per operation, atomic, on Redis' clock; calls go through the
 * store's breaker, retries and failure mode. Built by {@link RedisStore#penalties}.
 *
 * <p>When Redis cannot answer: {@link FailureMode#FALLBACK} keeps penalties in a local in-memory
 * box meanwhile (node-local, like the fallback limits); {@link FailureMode#FAIL_OPEN} and {@link
 * FailureMode#FAIL_CLOSED} count nothing (the limits already let everything through, or refuse
 * everything). A penalty this node has seen in force is enforced without asking Redis until it
 * ends, whatever Redis' state.
 */
final class RedisPenaltyStore implements PenaltyStore {
  private final RedisStore store;
  private final RedisKeys names;
  private final PenaltyScripts scripts;
  private final KnownPenalties known;
  private final PenaltyStore fallback;
  private final FailureMode onFailure;

  RedisPenaltyStore(RedisStore store, RedisKeys names, PenaltyScripts scripts, long maxClients) {
    this.store = store;
    this.names = names;
    this.scripts = scripts;
    this.known = new KnownPenalties(maxClients);
    this.fallback = PenaltyStore.inMemory(maxClients);
    this.onFailure = store.config().failurePolicy().onFailure();
  }

  @Override
  public PenaltyStanding check(String client, long nowNanos) {
    PenaltyStanding serving = known.serving(client, nowNanos);
    if (serving != null) {
      return serving;
    }
    PenaltyStanding standing =
        store.guarded(
            "penalty check of " + client,
            PenaltyScripts.CHECK.source(),
            PenaltyScripts.CHECK.sha(),
            scripts.keys(names, client),
            scripts.checkArgs(nowNanos),
            scripts::standing);
    if (standing == null) {
      return onFailure == FailureMode.FALLBACK
          ? fallback.check(client, nowNanos)
          : PenaltyStanding.CLEAR;
    }
    known.learn(client, standing, nowNanos);
    return standing;
  }

  @Override
  public PenaltyStanding recordViolation(String client, Penalty penalty, long nowNanos) {
    Violation after =
        store.guarded(
            "penalty violation of " + client,
            PenaltyScripts.VIOLATION.source(),
            PenaltyScripts.VIOLATION.sha(),
            scripts.keys(names, client),
            scripts.violationArgs(penalty, nowNanos),
            reply -> new Violation(scripts.standing(reply), PenaltyScripts.started(reply)));
    if (after == null) {
      return onFailure == FailureMode.FALLBACK
          ? fallback.recordViolation(client, penalty, nowNanos)
          : PenaltyStanding.CLEAR;
    }
    if (after.started) {
      known.started(after.standing.level());
    }
    known.learn(client, after.standing, nowNanos);
    return after.standing;
  }

  private record Violation(PenaltyStanding standing, boolean started) {}

  /**
   * What this node knows: clients it has seen serving a penalty that is still in force, penalties
   * its own violations started, and the local fallback box's figures. Other nodes' penalties count
   * once this node has met the client; Redis is not scanned.
   */
  @Override
  public PenaltyStats stats(long nowNanos) {
    return known.stats(nowNanos, fallback.stats(nowNanos));
  }

  @Override
  public String toString() {
    return "RedisPenaltyStore[" + store.config().connection().endpoints() + ", " + onFailure + "]";
  }
}
