package dev.sluice.testkit;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server processes the testkit started, so that none outlives the run however it ends.
 *
 * <ul>
 *   <li>{@link Owned#stop()} asks a server to stop, waits {@link #GRACE}, then kills it and its
 *       descendants (SIGKILL);
 *   <li>a JVM shutdown hook does the same for every server still running when the JVM exits, for a
 *       run that ends early ({@code System.exit}, Ctrl-C, a test JVM that Maven stops);
 *   <li>each server has a pid file in {@link #directory()} naming it and the JVM that owns it. A
 *       JVM that is SIGKILLed runs no hook; {@link #reapOrphans()}, which every fixture calls
 *       before it starts a server, stops the servers whose owning JVM is gone. A pid is only acted
 *       on when the process's executable and start instant still match the file, so a reused pid is
 *       never killed, and servers of another run that is still going are left alone.
 * </ul>
 */
final class OwnedProcesses {
  /** How long a server may take to stop when asked before it is killed. */
  static final Duration GRACE = Duration.ofSeconds(5);

  private static final String SUFFIX = ".pid";
  private static final String DELETED = " (deleted)";
  private static final Map<Long, Owned> OWNED = new ConcurrentHashMap<>();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private OwnedProcesses() {}

  /**
   * The directory of pid files: {@code ${java.io.tmpdir}/sluice-testkit/pids}.
   *
   * @return the directory
   */
  static Path directory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "sluice-testkit", "pids");
  }

  /**
   * Records a server this JVM started: writes its pid file and makes sure the shutdown hook stops
   * it.
   *
   * @param server the server process (for a daemon, the process that stays, not its launcher)
   * @param name what the server is, for messages, such as {@code redis-server 127.0.0.1:6379}
   * @param gracefulStop asks the server to stop; need not wait
   * @return the handle that stops the server and forgets it
   */
  static Owned own(ProcessHandle server, String name, Runnable gracefulStop) {
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(OwnedProcesses::stopAll, "sluice-testkit-stop-servers"));
    }
    Owned owned = new Owned(server, gracefulStop, writePidFile(server, name));
    OWNED.put(server.pid(), owned);
    return owned;
  }

  /**
   * Stops every server recorded in {@link #directory()} whose owning JVM is no longer running, and
   * deletes the pid files of servers that are gone.
   *
   * @return the pids of the servers stopped
   */
  static List<Long> reapOrphans() {
    List<Long> reaped = new ArrayList<>();
    Path dir = directory();
    if (!Files.isDirectory(dir)) {
      return reaped;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        Optional<Properties> record = read(file);
        if (record.isEmpty()) {
          continue; // being written, or removed by another JVM meanwhile
        }
        Properties p = record.get();
        if (isRunning(p.getProperty("owner"), p.getProperty("ownerStart"), null)) {
          continue; // its run is still going
        }
        Optional<ProcessHandle> server =
            find(p.getProperty("pid"), p.getProperty("start"), p.getProperty("command"));
        if (server.isPresent()) {
          stop(server.get(), server.get()::destroy, GRACE);
          reaped.add(server.get().pid());
        }
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pid files in " + dir, e);
    }
    return reaped;
  }

  /** A server this JVM started and will stop. */
  static final class Owned {
    private final ProcessHandle server;
    private final Runnable gracefulStop;
    private final Path pidFile;

    private Owned(ProcessHandle server, Runnable gracefulStop, Path pidFile) {
      this.server = server;
      this.gracefulStop = gracefulStop;
      this.pidFile = pidFile;
    }

    /** Asks the server to stop, kills it and its descendants after {@link #GRACE}, forgets it. */
    void stop() {
      OwnedProcesses.stop(server, gracefulStop, GRACE);
      forget();
    }

    /** Kills the server and its descendants at once (SIGKILL), like a crash, and forgets it. */
    void kill() {
      OwnedProcesses.stop(server, () -> {}, Duration.ZERO);
      forget();
    }

    private void forget() {
      OWNED.remove(server.pid(), this);
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + pidFile, e);
      }
    }
  }

  private static void stopAll() {
    List<Owned> all = new ArrayList<>(OWNED.values());
    List<Thread> stopping = new ArrayList<>();
    for (Owned owned : all) {
      stopping.add(Thread.ofPlatform().start(owned::stop));
    }
    for (Thread thread : stopping) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Graceful stop, up to {@code grace} to exit, then SIGKILL to it and its descendants. */
  private static void stop(ProcessHandle server, Runnable gracefulStop, Duration grace) {
    // taken first: once the server is gone its children are no longer its descendants
    List<ProcessHandle> tree = new ArrayList<>(server.descendants().toList());
    tree.add(server);
    if (server.isAlive() && !grace.isZero()) {
      gracefulStop.run();
      try {
        server.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException late) {
        // killed below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (ProcessHandle process : tree) {
      process.destroyForcibly();
    }
    for (ProcessHandle process : tree) {
      try {
        process.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new IllegalStateException("process " + process.pid() + " survived SIGKILL", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Path writePidFile(ProcessHandle server, String name) {
    ProcessHandle.Info info = server.info();
    ProcessHandle.Info owner = ProcessHandle.current().info();
    StringBuilder text = new StringBuilder();
    text.append("# ").append(name).append('\n');
    text.append("pid=").append(server.pid()).append('\n');
    text.append("start=").append(info.startInstant().map(Object::toString).orElse("")).append('\n');
    text.append("command=").append(executable(server)).append('\n');
    text.append("owner=").append(ProcessHandle.current().pid()).append('\n');
    text.append("ownerStart=")
        .append(owner.startInstant().map(Object::toString).orElse(""))
        .append('\n');
    Path dir = directory();
    Path file = dir.resolve(server.pid() + SUFFIX);
    try {
      Files.createDirectories(dir);
      Path partial = Files.createTempFile(dir, server.pid() + "-", ".partial");
      Files.writeString(partial, text);
      Files.move(
          partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pid file " + file + " of " + name, e);
    }
    return file;
  }

  /**
   * The process's executable; Linux marks one whose file was deleted since it started (the
   * extracted redis-server is deleted when its JVM exits) with a {@code " (deleted)"} suffix.
   */
  private static String executable(ProcessHandle process) {
    String command = process.info().command().orElse("?");
    return command.endsWith(DELETED)
        ? command.substring(0, command.length() - DELETED.length())
        : command;
  }

  private static Optional<Properties> read(Path file) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file)));
    } catch (IOException gone) {
      return Optional.empty();
    }
    return p.getProperty("pid") == null ? Optional.empty() : Optional.of(p);
  }

  /** Whether the process with this pid, start instant and (if given) executable still runs. */
  private static boolean isRunning(String pid, String start, String command) {
    return find(pid, start, command).isPresent();
  }

  private static Optional<ProcessHandle> find(String pid, String start, String command) {
    if (pid == null || start == null || start.isEmpty()) {
      return Optional.empty();
    }
    try {
      return ProcessHandle.of(Long.parseLong(pid))
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().startInstant().map(Object::toString).orElse("?").equals(start))
          .filter(p -> command == null || p.info().command().orElse("?").equals(command));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
