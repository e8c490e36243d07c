package dev.sluice.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/** Finds a redis-server binary: PATH first, then the one shipped in the embedded-redis jar. */
final class RedisBinary {
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static Path extracted;

  private RedisBinary() {}

  static Path locate() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    LOCK.lock();
    try {
      if (extracted == null) {
        extracted = extractShipped();
      }
      return extracted;
    } finally {
      LOCK.unlock();
    }
  }

  private static Path extractShipped() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    if (!os.contains("linux")) {
      throw new IllegalStateException(
          "no redis-server on PATH, and the shipped binary is used on Linux only (os.name="
              + os
              + "): install redis-server");
    }
    String resource =
        switch (arch) {
          case "amd64", "x86_64" -> "redis-server-6.2.6-v5-linux-amd64";
          case "aarch64", "arm64" -> "redis-server-6.2.7-linux-arm64";
          default ->
              throw new IllegalStateException(
                  "no redis-server on PATH and none shipped for os.arch=" + arch);
        };
    try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server on PATH and resource "
                + resource
                + " not found: is com.github.codemonstur:embedded-redis on the classpath?");
      }
      Path dir = Files.createTempDirectory("sluice-redis-bin");
      Path binary = dir.resolve("redis-server");
      Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
      if (!binary.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + binary + " executable");
      }
      dir.toFile().deleteOnExit();
      binary.toFile().deleteOnExit();
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource, e);
    }
  }
}
