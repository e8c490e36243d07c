package dev.sluice.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.RateLimitConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

  @ParameterizedTest
  @CsvSource({
    "/api/items, /api/items, true",
    "/api/items, /api/items/, true",
    "/api/items, /api/items?page=2, true",
    "/api/items, /api/item, false",
    "/api/*/orders, /api/v1/orders, true",
    "/api/*/orders, /api/orders, false",
    "/api/*/orders, /api/v1/v2/orders, false",
    "/static/**, /static, true",
    "/static/**, /static/css/site.css, true",
    "/static/**, /statics/x, false",
    "/**/health, /health, true",
    "/**/health, /a/b/health, true",
    "/**/health, /a/b/healthz, false",
    "/, /, true",
    "/, /x, false",
    "/**, /anything/at/all, true"
  })
  void matchesLiteralOneSegmentAndManySegmentWildcards(
      String pattern, String path, boolean matches) {
    assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(matches);
  }

  @ParameterizedTest
  @ValueSource(strings = {"api/x", "", "/a//b", "/a/", "/a*", "/a/b*c", "/***", "/a b", "/a?x"})
  void refusesPatternsItCannotParseAndSaysWhy(String pattern) {
    assertThatThrownBy(() -> PathPattern.parse(pattern))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("path must be a valid pattern")
        .hasMessageContaining("\"" + pattern + "\"");
  }

  @Test
  void aLiteralBeatsOneSegmentWildcardWhichBeatsManySegmentsFromTheLeft() {
    PathPattern literal = PathPattern.parse("/api/items");
    PathPattern one = PathPattern.parse("/api/*");
    PathPattern many = PathPattern.parse("/api/**");
    PathPattern leftLiteral = PathPattern.parse("/api/items/**");
    PathPattern leftWildcard = PathPattern.parse("/api/*/export");

    assertThat(literal.compareSpecificity(one)).isNegative();
    assertThat(one.compareSpecificity(many)).isNegative();
    assertThat(leftLiteral.compareSpecificity(leftWildcard)).isNegative();
    assertThat(PathPattern.parse("/api/*/x").compareSpecificity(one)).isNegative();
  }
}
