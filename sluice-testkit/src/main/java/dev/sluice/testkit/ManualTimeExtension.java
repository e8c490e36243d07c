package dev.sluice.testkit;

import dev.sluice.time.ManualTimeSource;
import dev.sluice.time.TimeSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a fresh {@link ManualTimeSource} into test constructors and methods that declare a
 * parameter of type {@code ManualTimeSource} (or {@code TimeSource}), so each test starts at the
 * same instant and moves time only by advancing it.
 *
 * <pre>{@code
 * @ExtendWith(ManualTimeExtension.class)
 * class BreakerTest {
 *   @Test void opens(ManualTimeSource time) { ... time.advance(Duration.ofSeconds(30)); ... }
 * }
 * }</pre>
 */
public final class ManualTimeExtension implements ParameterResolver {
  /** Creates the extension. */
  public ManualTimeExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ManualTimeSource.class || type == TimeSource.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // one instance per test, shared by all parameters of that test
    return context
        .getStore(ExtensionContext.Namespace.create(ManualTimeExtension.class))
        .getOrComputeIfAbsent("time", key -> new ManualTimeSource(), ManualTimeSource.class);
  }
}
