package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single
 * address. Only literals are accepted, never host names, so parsing never touches DNS. IPv4-mapped
 * IPv6 addresses match the IPv4 ranges they map to.
 *
 * <pre>{@code
 * AddressRange office = AddressRange.parse("192.0.2.0/24");
 * office.contains("192.0.2.17"); // true
 * }</pre>
 */
public final class AddressRange {
  private final String text;
  private final byte[] network;
  private final int prefix;

  private AddressRange(String text, byte[] network, int prefix) {
    this.text = text;
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses a range.
   *
   * @param text an address literal, optionally followed by {@code /prefix}
   * @return the range
   * @throws RateLimitConfigException if the text is not a literal range, or has host bits set
   */
  public static AddressRange parse(String text) {
    Objects.requireNonNull(text, "address range");
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = IpLiteral.parse(address);
    if (bytes == null) {
      throw new RateLimitConfigException(
          "address must be an IPv4 or IPv6 literal with an optional /prefix, was \"" + text + "\"");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
        throw new RateLimitConfigException(
            "address prefix must be a number 0-" + max + ", was \"" + text + "\"");
      }
      prefix = Integer.parseInt(digits);
      if (address.indexOf(':') >= 0 && bytes.length == 4) {
        prefix -= 96; // an IPv4-mapped IPv6 range, such as ::ffff:10.0.0.0/104
      }
      if (prefix < 0 || prefix > max) {
        throw new RateLimitConfigException(
            "address prefix must be 0-" + max + ", was \"" + text + "\"");
      }
    }
    if (!Arrays.equals(bytes, masked(bytes, prefix))) {
      throw new RateLimitConfigException(
          "address range must have no bits set past its prefix, was \"" + text + "\"");
    }
    return new AddressRange(text, bytes, prefix);
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  /**
   * Whether an address lies in this range.
   *
   * @param address an address literal; anything else (a host name, garbage) is not contained
   * @return true if the address is in the range
   */
  public boolean contains(String address) {
    byte[] bytes = IpLiteral.parse(address);
    return bytes != null
        && bytes.length == network.length
        && Arrays.equals(masked(bytes, prefix), network);
  }

  /**
   * Whether an already parsed address lies in this range.
   *
   * @param bytes 4 or 16 bytes as {@link IpLiteral#parse} returns them
   * @return true if the address is in the range
   */
  public boolean contains(byte[] bytes) {
    return bytes != null
        && bytes.length == network.length
        && Arrays.equals(masked(bytes, prefix), network);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressRange that
        && prefix == that.prefix
        && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    return text;
  }
}
