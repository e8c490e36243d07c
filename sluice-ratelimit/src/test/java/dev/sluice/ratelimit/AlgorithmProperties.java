package dev.sluice.ratelimit;

import dev.sluice.ratelimit.store.LimitStore;
import dev.sluice.ratelimit.store.MemoryStore;

/** The algorithm contract on the in-memory engine, a fresh store per arrival sequence. */
class AlgorithmProperties extends AlgorithmContract {
  @Override
  protected LimitStore store() {
    return MemoryStore.withMaxKeys(10);
  }
}
