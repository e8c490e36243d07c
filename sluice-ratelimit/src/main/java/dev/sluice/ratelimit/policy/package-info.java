/**
 * Rate-limit policies: rules matched to requests, tiers, exemptions and the penalty box, enforced
 * by a {@link dev.sluice.ratelimit.policy.PolicyEnforcer}.
 */
@NullMarked
package dev.sluice.ratelimit.policy;

import org.jspecify.annotations.NullMarked;
