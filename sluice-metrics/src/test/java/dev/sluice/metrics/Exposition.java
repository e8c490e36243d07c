package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of a Prometheus text exposition: its grammar, line by line, and its series. */
final class Exposition {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
  private static final String VALUE =
      "(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|NaN|[+-]Inf)";
  private static final Pattern SAMPLE =
      Pattern.compile(
          NAME + "(?:\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? " + VALUE + "(?: -?\\d+)?");
  private static final Pattern HELP = Pattern.compile("# HELP " + NAME + "(?: .*)?");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE " + NAME + " (?:counter|gauge|histogram|summary|untyped)");

  private Exposition() {}

  /** The series of an exposition: each sample line's name and labels, in order. */
  static List<String> series(String exposition) {
    List<String> names = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (!line.startsWith("#") && !line.isEmpty()) {
        names.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return names;
  }

  /** Asserts that every line is a HELP, a TYPE or a sample line of the text format. */
  static void assertValid(String exposition) {
    assertThat(exposition).endsWith("\n");
    for (String line : exposition.split("\n")) {
      assertThat(
              line.isEmpty()
                  || HELP.matcher(line).matches()
                  || TYPE.matcher(line).matches()
                  || SAMPLE.matcher(line).matches())
          .as("exposition line: %s", line)
          .isTrue();
    }
  }
}
