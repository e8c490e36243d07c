package dev.sluice.event;

/**
 * Something a policy did that an operator may want to know: the one event model of Sluice's
 * outbound policies. Every event is a record in this package; a {@link PolicyListener} receives
 * them all and picks what it needs with a pattern-matching {@code switch}:
 *
 * <pre>{@code
 * PolicyListener log = event -> {
 *   switch (event) {
 *     case BreakerTransitioned t -> LOG.info("{} {} -> {}", t.breakerName(), t.from(), t.to());
 *     case ThrottleSlowedDown s -> LOG.info("slower: {}", s.change());
 *     default -> {}
 *   }
 * };
 * }</pre>
 */
public sealed interface PolicyEvent
    permits BreakerTransitioned,
        RetryAttempted,
        ThrottleSlowedDown,
        ThrottleSpedUp,
        ThrottleCeilingReset,
        ThrottleStateChanged,
        ThrottleMilestone {}
