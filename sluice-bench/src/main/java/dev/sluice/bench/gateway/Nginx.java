package dev.sluice.bench.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Debian's nginx, started by the benchmark in the foreground with a configuration of its own (in a
 * directory of its own, nothing of {@code /etc/nginx} used) and two servers:
 *
 * <ul>
 *   <li>{@code limitPort}: a reverse proxy to the upstream with {@code limit_req}, keyed by the
 *       client address, at a rate far above the offered load (every request is looked up and
 *       admitted), the peer the gateway is compared with;
 *   <li>{@code checkPort}: the decision-only setup of {@code docs/gateway.md}, {@code auth_request}
 *       to a gateway's {@code GET /check} before proxying to the upstream.
 * </ul>
 */
final class Nginx implements AutoCloseable {
  private final ChildProcess process;

  private Nginx(ChildProcess process) {
    this.process = process;
  }

  /** Writes the configuration into {@code directory}, checks it with {@code nginx -t}, starts. */
  static Nginx start(
      String binary,
      Path directory,
      int limitPort,
      int checkPort,
      int upstreamPort,
      int gatewayPort)
      throws Exception {
    Path conf = directory.resolve("nginx.conf");
    Files.writeString(conf, config(directory, limitPort, checkPort, upstreamPort, gatewayPort));
    Process test =
        new ProcessBuilder(binary, "-t", "-p", directory.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .start();
    String testOutput = new String(test.getInputStream().readAllBytes());
    if (!test.waitFor(30, TimeUnit.SECONDS) || test.exitValue() != 0) {
      throw new IllegalStateException("nginx -t refused " + conf + ":\n" + testOutput);
    }
    ChildProcess process =
        ChildProcess.start(
            "nginx",
            List.of(binary, "-p", directory.toString(), "-c", conf.toString()),
            directory,
            (Pattern) null);
    Nginx nginx = new Nginx(process);
    try {
      nginx.awaitListening(limitPort);
      nginx.awaitListening(checkPort);
    } catch (RuntimeException | IOException e) {
      nginx.close();
      throw e;
    }
    return nginx;
  }

  private void awaitListening(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("nginx does not listen on " + port + ":\n" + process.output(), e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** The configuration; the check server is the snippet of docs/gateway.md with these ports. */
  static String config(
      Path directory, int limitPort, int checkPort, int upstreamPort, int gatewayPort) {
    String dir = directory.toAbsolutePath().toString();
    boolean root = "root".equals(System.getProperty("user.name"));
    return """
        %sworker_processes auto;
        daemon off;
        pid %s/nginx.pid;
        error_log %s/error.log warn;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path %s/client_body;
            proxy_temp_path %s/proxy;
            fastcgi_temp_path %s/fastcgi;
            uwsgi_temp_path %s/uwsgi;
            scgi_temp_path %s/scgi;
            keepalive_requests 1000000;
            keepalive_timeout 300s;

        %s

            # the peer: limit_req at a rate far above the offered load, so every request is
            # looked up and admitted, as the gateway's own latency runs are
            limit_req_zone $binary_remote_addr zone=per_client:10m rate=1000000r/s;
            limit_req_status 429;
            server {
                listen 127.0.0.1:%d;
                location / {
                    limit_req zone=per_client burst=1000 nodelay;
                    proxy_pass http://app;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                }
            }

            # decision-only mode: the snippet of docs/gateway.md
            server {
                listen 127.0.0.1:%d;
        %s
            }
        }
        """
        .formatted(
            root ? "user root;\n" : "",
            dir,
            dir,
            dir,
            dir,
            dir,
            dir,
            dir,
            CheckSnippet.upstreams(upstreamPort, gatewayPort).indent(4).stripTrailing(),
            limitPort,
            checkPort,
            CheckSnippet.LOCATIONS.indent(8).stripTrailing());
  }

  /** The master process; its workers are its descendants. */
  ProcessHandle handle() {
    return process.handle();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
