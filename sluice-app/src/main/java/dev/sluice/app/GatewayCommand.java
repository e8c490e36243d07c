package dev.sluice.app;

import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.gateway.GatewayConfigLoader;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice gateway}: the rate-limit gateway in front of an upstream. SIGHUP reloads the
 * configuration file; SIGTERM or Ctrl-C stops it gracefully and exits 0.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = "Run the rate-limit gateway in front of an HTTP API.")
final class GatewayCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The gateway.toml to run with.")
  Path config;

  @Option(
      names = "--check-config",
      paramLabel = "FILE",
      description = "Validate FILE, print the effective configuration and exit.")
  Path check;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (check != null) {
      GatewayConfig checked = load(check);
      out.println("configuration " + check + " is valid");
      out.println("  listen   " + checked.listen());
      out.println("  upstream " + checked.upstream());
      out.println("  admin    " + checked.admin());
      out.println("  headers  " + checked.dialect().name().toLowerCase(java.util.Locale.ROOT));
      out.println("  policy   " + checked.rateLimit().policy());
      return ExitCodes.OK;
    }
    if (config == null) {
      throw new UsageException("gateway: --config FILE is required (or --check-config FILE)");
    }
    load(config);
    Gateway gateway = Gateway.fromFile(config, System.getenv());
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean closing = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (closing.compareAndSet(false, true)) {
            gateway.close();
          }
          stopped.countDown();
        };
    gateway.start();
    // SIGTERM and Ctrl-C drain and then exit 0; the hook covers every other way the JVM ends
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "sluice-gateway-shutdown"));
    onSignal("TERM", stop);
    onSignal("INT", stop);
    onSignal(
        "HUP",
        () -> {
          try {
            gateway.reload();
          } catch (RuntimeException e) {
            // logged and counted by the gateway; the configuration in force stays
          }
        });
    out.println(
        "sluice gateway listening on "
            + gateway.publicUri()
            + " (admin "
            + gateway.adminUri()
            + ")");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private static GatewayConfig load(Path file) {
    try {
      return GatewayConfigLoader.load(file, System.getenv());
    } catch (RateLimitConfigException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * Handles a POSIX signal through {@code sun.misc.Signal}, found by reflection so the build needs
   * no internal API; where the JDK has none, the signal is simply not handled.
   */
  static void onSignal(String name, Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      InvocationHandler call =
          (Object proxy, Method method, Object[] args) -> {
            if (method.getName().equals("handle")) {
              action.run();
            }
            return null;
          };
      Object instance =
          Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, call);
      Object sig = signal.getConstructor(String.class).newInstance(name);
      signal.getMethod("handle", signal, handler).invoke(null, sig, instance);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("signal {} cannot be handled here; use POST /admin/reload", name, e);
    }
  }
}
