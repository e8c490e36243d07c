package dev.sluice.gateway;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file's directory ({@code gateway.watch = true}) and asks for a reload
 * when the file's content changes. Any event in the directory leads to a comparison of the file's
 * digest with the last one seen, so an editor's rename into place, a Kubernetes ConfigMap's symlink
 * swap and a plain rewrite are all noticed, and touching the file without changing it reloads
 * nothing. A file caught half-written is refused by the reload (the configuration in force stays)
 * and applied at the event that completes it; writing a new file and renaming it over the old one
 * avoids even that.
 */
final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path file;
  private final Runnable reload;
  private final WatchService service;
  private final Thread thread;
  private byte[] lastDigest;

  ConfigWatcher(Path file, Runnable reload) {
    this.file = file.toAbsolutePath();
    this.reload = reload;
    this.lastDigest = digest();
    try {
      this.service = FileSystems.getDefault().newWatchService();
      this.file
          .getParent()
          .register(
              service,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      throw new GatewayException("gateway.watch cannot watch " + this.file.getParent(), e);
    }
    this.thread = Thread.ofVirtual().name("sluice-config-watch").unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        key.pollEvents();
        key.reset();
        byte[] now = digest();
        if (now != null && !Arrays.equals(now, lastDigest)) {
          lastDigest = now;
          reload.run();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the gateway stops
    } catch (RuntimeException e) {
      LOG.atError()
          .setCause(e)
          .addKeyValue("file", file)
          .log("the configuration watch stopped; reload with SIGHUP or POST /admin/reload");
    }
  }

  /** The SHA-256 of the file's bytes, or null while it cannot be read (being replaced). */
  private byte @Nullable [] digest() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      LOG.warn("the configuration watch did not close cleanly", e);
    }
  }
}
