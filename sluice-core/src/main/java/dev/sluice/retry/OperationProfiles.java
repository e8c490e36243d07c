package dev.sluice.retry;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The profile for every {@link OperationType}: the presets, with any of them overridden. Immutable.
 *
 * <pre>{@code
 * OperationProfiles profiles = OperationProfiles.presets()
 *     .with(OperationProfile.preset(OperationType.DOWNLOAD).withMaxAttempts(10));
 * RetryPolicy download = profiles.get(OperationType.DOWNLOAD).policy();
 * }</pre>
 */
public final class OperationProfiles {
  private final Map<OperationType, OperationProfile> profiles;

  private OperationProfiles(Map<OperationType, OperationProfile> profiles) {
    this.profiles = profiles;
  }

  /**
   * The presets of {@link OperationProfile#preset}.
   *
   * @return the presets
   */
  public static OperationProfiles presets() {
    Map<OperationType, OperationProfile> map = new EnumMap<>(OperationType.class);
    for (OperationType type : OperationType.values()) {
      map.put(type, OperationProfile.preset(type));
    }
    return new OperationProfiles(map);
  }

  /**
   * These profiles with one replaced (the one for {@code override.operation()}).
   *
   * @param override the new profile
   * @return new profiles
   */
  public OperationProfiles with(OperationProfile override) {
    Objects.requireNonNull(override, "override");
    Map<OperationType, OperationProfile> map = new EnumMap<>(profiles);
    map.put(override.operation(), override);
    return new OperationProfiles(map);
  }

  /**
   * The profile for an operation.
   *
   * @param operation the kind of work
   * @return its profile
   */
  public OperationProfile get(OperationType operation) {
    return profiles.get(Objects.requireNonNull(operation, "operation"));
  }
}
