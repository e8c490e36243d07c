package dev.sluice.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code gateway.toml} files for gateway processes: both listeners on free loopback ports,
 * one upstream, then the tables a test adds. Limits in tests use day-long windows, so no permit
 * comes back while a test runs, whatever the time.
 */
final class GatewayToml {
  private GatewayToml() {}

  /** Writes {@code file} and returns it. */
  static Path write(Path file, String upstream, String tables) throws IOException {
    Files.writeString(
        file,
        """
        [gateway]
        listen = "127.0.0.1:0"
        upstream = "%s"

        [admin]
        listen = "127.0.0.1:0"

        %s
        """
            .formatted(upstream, tables));
    return file;
  }

  /** A {@code [[defaults.limits]]} table: {@code quota} per day for every client. */
  static String perDay(long quota) {
    return """
        [[defaults.limits]]
        id = "per-day"
        quota = %d
        window = "1d"
        """
        .formatted(quota);
  }

  /** A {@code [store]} table on a standalone Redis. */
  static String redis(int port, String failMode, String commandTimeout) {
    return """
        [store]
        kind = "redis"
        endpoint = "127.0.0.1:%d"
        fail-mode = "%s"
        command-timeout = "%s"
        """
        .formatted(port, failMode, commandTimeout);
  }
}
