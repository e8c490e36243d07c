package dev.sluice.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings a reload cannot swap while requests flow (listeners, the upstream connection, the
 * store, in-memory bounds): which of them a new file changed, by their keys in {@code
 * gateway.toml}, so the operator learns that a restart is needed.
 */
final class RestartKeys {
  private record Key(String name, Function<GatewayConfig, Object> value) {}

  private static final List<Key> KEYS =
      List.of(
          new Key("gateway.listen", GatewayConfig::listen),
          new Key("gateway.mode", GatewayConfig::mode),
          new Key("gateway.upstream", GatewayConfig::upstream),
          new Key("gateway.connect-timeout", GatewayConfig::connectTimeout),
          new Key("gateway.response-timeout", GatewayConfig::responseTimeout),
          new Key("gateway.max-request-bytes", GatewayConfig::maxRequestBytes),
          new Key("gateway.watch", GatewayConfig::watch),
          new Key("admin.listen", GatewayConfig::admin),
          new Key("admin.token", GatewayConfig::adminToken),
          new Key("store", GatewayConfig::redis),
          new Key("limiter.max-keys", c -> c.rateLimit().maxKeys()),
          new Key("limiter.max-penalized-clients", c -> c.rateLimit().maxPenalizedClients()),
          new Key("logging.access-log", c -> c.logging().accessLog()));

  private RestartKeys() {}

  /** The keys whose values differ between the configuration in force and the next one. */
  static List<String> changed(GatewayConfig inForce, GatewayConfig next) {
    List<String> changed = new ArrayList<>();
    for (Key key : KEYS) {
      if (!Objects.equals(key.value().apply(inForce), key.value().apply(next))) {
        changed.add(key.name());
      }
    }
    return List.copyOf(changed);
  }
}
