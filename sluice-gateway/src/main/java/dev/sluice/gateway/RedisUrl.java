package dev.sluice.gateway;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A {@code store.url}: {@code redis://[[user]:password@]host[:port][/database]}, the form Redis
 * clients share; {@code rediss://} for TLS. The port defaults to 6379.
 *
 * @param endpoint {@code host:port}
 * @param tls whether the scheme is {@code rediss}
 * @param username the ACL user name, or null for the default user
 * @param password the password, or null
 * @param database the database number, or -1 when the URL names none
 */
record RedisUrl(
    String endpoint,
    boolean tls,
    @Nullable String username,
    @Nullable String password,
    int database) {
  static RedisUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw refused(text, e);
    }
    boolean tls = "rediss".equals(uri.getScheme());
    if (!tls && !"redis".equals(uri.getScheme()) || uri.getHost() == null) {
      throw refused(text, null);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw refused(text, null);
    }
    String username = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? "" : userInfo.substring(0, colon);
      String raw = colon < 0 ? userInfo : userInfo.substring(colon + 1);
      username = user.isEmpty() ? null : URLDecoder.decode(user, StandardCharsets.UTF_8);
      password = raw.isEmpty() ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
    int database = -1;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        database = -2;
      }
      if (database < 0) {
        throw refused(text, null);
      }
    }
    String host = uri.getHost();
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    return new RedisUrl(host + ":" + port, tls, username, password, database);
  }

  private static RateLimitConfigException refused(String text, @Nullable Exception cause) {
    // the password is left out of the message: it may be in the URL
    String shown = text.replaceFirst("//[^@/]*@", "//***@");
    return new RateLimitConfigException(
        "store.url must be redis://[[user]:password@]host[:port][/database] or rediss://..., was \""
            + shown
            + "\"",
        cause);
  }
}
