package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Requests that are never limited nor counted: from address ranges (CIDR literals only, never host
 * names), from user ids, or to paths.
 *
 * <pre>{@code
 * Exemptions exemptions = Exemptions.of(
 *     List.of("10.0.0.0/8", "::1"), List.of("ops-robot"), List.of("/health", "/metrics/**"));
 * }</pre>
 *
 * @param addresses the exempt address ranges
 * @param users the exempt user ids
 * @param paths the exempt path patterns
 */
public record Exemptions(List<AddressRange> addresses, Set<String> users, List<PathPattern> paths) {
  /** Copies the lists. */
  public Exemptions {
    addresses = List.copyOf(addresses);
    users = Set.copyOf(users);
    paths = List.copyOf(paths);
  }

  /**
   * No exemptions.
   *
   * @return an empty set of exemptions
   */
  public static Exemptions none() {
    return new Exemptions(List.of(), Set.of(), List.of());
  }

  /**
   * Parses exemptions from text.
   *
   * @param addresses address literals or CIDR ranges
   * @param users user ids
   * @param paths path patterns
   * @return the exemptions
   * @throws RateLimitConfigException if an address or a pattern does not parse; the message names
   *     its position
   */
  public static Exemptions of(List<String> addresses, List<String> users, List<String> paths) {
    List<AddressRange> ranges = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      try {
        ranges.add(AddressRange.parse(addresses.get(i)));
      } catch (RateLimitConfigException e) {
        throw e.within("exemptions.addresses[" + i + "]");
      }
    }
    List<PathPattern> patterns = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      try {
        patterns.add(PathPattern.parse(paths.get(i)));
      } catch (RateLimitConfigException e) {
        throw e.within("exemptions.paths[" + i + "]");
      }
    }
    return new Exemptions(ranges, Set.copyOf(users), patterns);
  }

  /**
   * Whether a request is exempt.
   *
   * @param request the request
   * @param pathSegments its path, split
   * @return true if its user, address or path is exempt
   */
  boolean exempts(Request request, List<String> pathSegments) {
    if (request.userId() != null && users.contains(request.userId())) {
      return true;
    }
    for (PathPattern path : paths) {
      if (path.matchesSegments(pathSegments)) {
        return true;
      }
    }
    for (AddressRange range : addresses) {
      if (range.contains(request.clientAddress())) {
        return true;
      }
    }
    return false;
  }
}
