package dev.sluice.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.0.2.7, 192.0.2.7, true",
    "192.0.2.7, 192.0.2.8, false",
    "0.0.0.0/0, 203.0.113.9, true",
    "0.0.0.0/0, 2001:db8::1, false",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "::1, ::1, true",
    "::1, 0:0:0:0:0:0:0:1, true",
    "10.0.0.0/8, ::ffff:10.1.2.3, true",
    "::ffff:10.0.0.0/104, 10.9.9.9, true",
    "10.0.0.0/8, localhost, false",
    "10.0.0.0/8, 10.0.0.256, false"
  })
  void containsExactlyTheAddressesOfItsPrefix(String range, String address, boolean contained) {
    assertThat(AddressRange.parse(range).contains(address)).isEqualTo(contained);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "example.com/8",
        "10.0.0/8",
        "10.0.0.0/33",
        "10.0.0.1/8",
        "010.0.0.0/8",
        "2001:db8::/129",
        "2001:db8:::/32",
        "1:2:3:4:5:6:7:8:9",
        "10.0.0.0/",
        "10.0.0.0/-1"
      })
  void refusesAnythingButLiteralRangesWithoutHostBits(String text) {
    assertThatThrownBy(() -> AddressRange.parse(text))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining(text);
  }

  @Property
  void parsesEveryIpv6AddressTheJdkFormats(@ForAll @Size(16) byte[] bytes) throws Exception {
    String text = InetAddress.getByAddress(bytes).getHostAddress();
    byte[] parsed = IpLiteral.parse(text);
    byte[] expected = InetAddress.getByAddress(bytes).getAddress(); // the JDK maps v4-mapped too
    assertThat(parsed).isEqualTo(expected);
  }

  @Property
  void parsesCompressedIpv6Forms(@ForAll @Size(8) short[] groups, @ForAll boolean compress)
      throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      text.append(i == 0 ? "" : ":").append(Integer.toHexString(groups[i] & 0xffff));
    }
    String full = text.toString();
    byte[] bytes = InetAddress.getByName(full).getAddress();
    String written = compress ? compressFirstZeroRun(groups) : full;
    assertThat(IpLiteral.parse(written)).as(written).isEqualTo(bytes);
  }

  private static String compressFirstZeroRun(short[] groups) {
    int start = -1;
    int end = -1;
    for (int i = 0; i < 8; i++) {
      if (groups[i] == 0 && start < 0) {
        start = i;
        end = i + 1;
        while (end < 8 && groups[end] == 0) {
          end++;
        }
        break;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == start) {
        out.append("::");
        i = end - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i] & 0xffff));
    }
    return out.toString();
  }
}
