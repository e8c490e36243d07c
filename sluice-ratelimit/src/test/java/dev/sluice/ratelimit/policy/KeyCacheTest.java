package dev.sluice.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KeyCacheTest {

  @Property
  void aCachedKeyIsAlwaysTheKeyTheRequestBuilds(@ForAll("scopedRequests") List<Scoped> sequence) {
    KeyCache cache = new KeyCache();
    for (Scoped s : sequence) {
      assertThat(cache.scoped(s.scope(), s.request()))
          .isEqualTo(s.request().scopedIdentity(s.scope()));
    }
  }

  @Test
  void keepsUserKeyAndAddressIdentitiesApartEvenWithTheSameText() {
    KeyCache cache = new KeyCache();
    Request byAddress = Request.anonymous("GET", "/", "alice");
    Request byUser = Request.authenticated("GET", "/", "192.0.2.1", "alice", null);
    Request byKey = Request.keyed("GET", "/", "192.0.2.1", "alice");
    assertThat(cache.scoped("r", byAddress)).isEqualTo("r|ip:alice");
    assertThat(cache.scoped("r", byUser)).isEqualTo("r|user:alice");
    assertThat(cache.scoped("r", byKey)).isEqualTo("r|alice");
    assertThat(cache.scoped("s", byUser)).isEqualTo("s|user:alice");
    assertThat(cache.scoped("r", byAddress)).isEqualTo("r|ip:alice");
  }

  @Test
  void threadsRacingForTheSameSlotsNeverGetAnotherClientsKey() throws Exception {
    KeyCache cache = new KeyCache();
    int threads = 4;
    int rounds = 200_000;
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Integer>> wrong = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        wrong.add(
            pool.submit(
                () -> {
                  start.await();
                  int mismatches = 0;
                  for (int i = 0; i < rounds; i++) {
                    // 64 clients over a table of 1024 slots, written by every thread at once
                    Request r = Request.anonymous("GET", "/", "10.0.0." + ((i * 7 + seed) % 64));
                    String scope = (i & 1) == 0 ? "a" : "b";
                    if (!cache.scoped(scope, r).equals(r.scopedIdentity(scope))) {
                      mismatches++;
                    }
                  }
                  return mismatches;
                }));
      }
      start.countDown();
      for (Future<Integer> f : wrong) {
        assertThat(f.get()).isZero();
      }
    }
  }

  record Scoped(String scope, Request request) {}

  @Provide
  Arbitrary<List<Scoped>> scopedRequests() {
    Arbitrary<String> scope = Arbitraries.of("~defaults", "api", "login", "");
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(6).withChars("ab:|.1");
    Arbitrary<Request> request =
        Combinators.combine(Arbitraries.integers().between(0, 2), text, text)
            .as(
                (kind, a, b) ->
                    switch (kind) {
                      case 0 -> Request.anonymous("GET", "/", a);
                      case 1 -> Request.authenticated("GET", "/", b, a, null);
                      default -> Request.keyed("GET", "/", b, a);
                    });
    return Combinators.combine(scope, request).as(Scoped::new).list().ofMaxSize(40);
  }
}
