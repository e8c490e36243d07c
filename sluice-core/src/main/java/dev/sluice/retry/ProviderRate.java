package dev.sluice.retry;

import java.util.List;

/**
 * What a {@link RateLearner} knows about one provider.
 *
 * @param provider the provider key
 * @param throttleStreak throttling responses in a row
 * @param rateFactor the share of the configured rate allowed now, within (0, 1]
 * @param recentEvents the most recent events, oldest first, at most 50
 */
public record ProviderRate(
    String provider, int throttleStreak, double rateFactor, List<RateEvent> recentEvents) {}
