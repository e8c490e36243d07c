package dev.sluice.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the decision path reads of an HTTP request, independent of any container: the method, the
 * decoded path, the socket peer's address and the header lines. The servlet and Jetty adapters
 * implement it over their request types; tests and other containers can use {@link #of}.
 */
public interface HttpRequestView {
  /**
   * The request method.
   *
   * @return such as {@code GET}
   */
  String method();

  /**
   * The decoded, normalised path within the application, without query string.
   *
   * @return such as {@code /api/items}
   */
  String path();

  /**
   * The address of the socket peer (the client, or the nearest proxy).
   *
   * @return an IP address literal, with or without brackets
   */
  String peerAddress();

  /**
   * Every line of a header, in the order received.
   *
   * @param name the header name, case-insensitive
   * @return the values, empty when the header is absent
   */
  List<String> headers(String name);

  /**
   * A request view over fixed values.
   *
   * @param method the method
   * @param path the decoded path
   * @param peerAddress the socket peer's address
   * @param headers header lines by name (any case)
   * @return the view
   */
  static HttpRequestView of(
      String method, String path, String peerAddress, Map<String, List<String>> headers) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, values) -> byName.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    return new HttpRequestView() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public String peerAddress() {
        return peerAddress;
      }

      @Override
      public List<String> headers(String name) {
        return byName.getOrDefault(name, List.of());
      }
    };
  }
}
