package dev.sluice.durable;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A test that runs against a fresh {@link Fixture} (SQLite store, manual clock) per test. */
@Timeout(60)
abstract class FixtureTest {
  @TempDir Path dir;
  Fixture f;

  @BeforeEach
  void openFixture() {
    f = new Fixture(dir);
  }

  @AfterEach
  void closeFixture() {
    f.close();
  }
}
