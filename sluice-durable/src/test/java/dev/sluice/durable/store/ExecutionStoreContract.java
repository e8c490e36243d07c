package dev.sluice.durable.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ExecutionStore} keeps, run against each store by a subclass. Times are
 * the caller's (a store with its own clock runs this suite in its caller-clock mode).
 */
abstract class ExecutionStoreContract {
  static final long T0 = 1_800_000_000_000L;
  static final long LEASE = 30_000;

  ExecutionStore store;

  /** Opens a fresh, empty store that compares against the times passed in. */
  abstract ExecutionStore openStore() throws Exception;

  /** Opens another store on the same database, as a second process would. */
  abstract ExecutionStore openSecondStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static NewExecution execution(String id) {
    return execution(id, "work", "default", List.of(), 0, T0);
  }

  static NewExecution execution(
      String id, String task, String queue, List<String> tags, int priority, long due) {
    return new NewExecution(
        ExecutionId.of(id),
        task,
        queue,
        tags,
        priority,
        "{\"n\":1}",
        null,
        null,
        3,
        null,
        T0,
        due,
        null);
  }

  static ClaimRequest claim(String worker, int limit, long now) {
    return claim(worker, Set.of(), limit, now);
  }

  static ClaimRequest claim(String worker, Set<String> tags, int limit, long now) {
    return new ClaimRequest(
        worker, List.of("default"), List.of("work", "other"), tags, limit, now, LEASE);
  }

  static List<String> ids(List<ExecutionRecord> records) {
    return records.stream().map(r -> r.id().value()).toList();
  }

  ExecutionRecord claimOne(String id, long now) {
    store.dispatch(execution(id));
    List<ExecutionRecord> claimed = store.claim(claim("w1", 1, now));
    assertThat(ids(claimed)).containsExactly(id);
    return claimed.get(0);
  }

  // ---- dispatch ----------------------------------------------------------------------------

  @Test
  void aSecondDispatchWithTheSameIdempotencyKeyReturnsTheFirstExecution() {
    NewExecution first =
        new NewExecution(
            ExecutionId.of("a"),
            "work",
            "default",
            List.of(),
            0,
            "1",
            "key",
            null,
            1,
            null,
            T0,
            T0,
            null);
    NewExecution second =
        new NewExecution(
            ExecutionId.of("b"),
            "work",
            "default",
            List.of(),
            0,
            "2",
            "key",
            null,
            1,
            null,
            T0,
            T0,
            null);
    assertThat(store.dispatch(first)).isEqualTo(new Dispatched(ExecutionId.of("a"), true));
    assertThat(store.dispatch(second)).isEqualTo(new Dispatched(ExecutionId.of("a"), false));
    assertThat(store.find(ExecutionId.of("b"))).isEmpty();
  }

  @Test
  void dispatchAllReportsEachExecutionInOrderIncludingExistingOnes() {
    store.dispatch(execution("x"));
    List<Dispatched> results =
        store.dispatchAll(List.of(execution("a"), execution("x"), execution("b")));
    assertThat(results)
        .containsExactly(
            new Dispatched(ExecutionId.of("a"), true),
            new Dispatched(ExecutionId.of("x"), false),
            new Dispatched(ExecutionId.of("b"), true));
    assertThat(store.countByState().get(ExecutionState.PENDING)).isEqualTo(3);
  }

  // ---- claims ------------------------------------------------------------------------------

  @Test
  void claimsHighestPriorityFirstThenEarliestDue() {
    store.dispatch(execution("low", "work", "default", List.of(), 0, T0));
    store.dispatch(execution("high-late", "work", "default", List.of(), 5, T0 + 2));
    store.dispatch(execution("high-early", "work", "default", List.of(), 5, T0 + 1));
    assertThat(ids(store.claim(claim("w1", 3, T0 + 10))))
        .containsExactlyInAnyOrder("high-early", "high-late", "low");
    store.dispatch(execution("p1", "work", "default", List.of(), 1, T0));
    store.dispatch(execution("p9", "work", "default", List.of(), 9, T0 + 5));
    assertThat(ids(store.claim(claim("w1", 1, T0 + 10)))).containsExactly("p9");
  }

  @Test
  void anExecutionIsNotClaimableBeforeItIsDue() {
    store.dispatch(execution("later", "work", "default", List.of(), 0, T0 + 5_000));
    assertThat(store.claim(claim("w1", 1, T0 + 4_999))).isEmpty();
    assertThat(ids(store.claim(claim("w1", 1, T0 + 5_000)))).containsExactly("later");
  }

  @Test
  void aRetryIsNotClaimableBeforeItsDelayAndIsClaimableAfter() {
    ExecutionRecord run = claimOne("r", T0);
    assertThat(store.retry(run.lease(), "boom", T0 + 1_000, T0)).isTrue();
    ExecutionRecord pending = store.find(run.id()).orElseThrow();
    assertThat(pending.state()).isEqualTo(ExecutionState.PENDING);
    assertThat(pending.attempt()).isEqualTo(2);
    assertThat(pending.workerId()).isNull();
    assertThat(pending.leaseExpiresAt()).isNull();
    assertThat(store.claim(claim("w2", 1, T0 + 999))).isEmpty();
    assertThat(ids(store.claim(claim("w2", 1, T0 + 1_000)))).containsExactly("r");
  }

  @Test
  void workersClaimOnlyTasksWhoseTagsTheyAllHaveAndUntaggedTasksGoToAnyWorker() {
    store.dispatch(execution("gpu", "work", "default", List.of("gpu"), 0, T0));
    store.dispatch(execution("gpu-eu", "work", "default", List.of("gpu", "eu"), 0, T0));
    store.dispatch(execution("any", "work", "default", List.of(), 0, T0));
    assertThat(ids(store.claim(claim("plain", Set.of(), 10, T0)))).containsExactly("any");
    assertThat(ids(store.claim(claim("gpu", Set.of("gpu"), 10, T0)))).containsExactly("gpu");
    assertThat(ids(store.claim(claim("both", Set.of("gpu", "eu", "x"), 10, T0))))
        .containsExactly("gpu-eu");
  }

  @Test
  void workersClaimOnlyFromTheirQueuesAndTasks() {
    store.dispatch(execution("q", "work", "elsewhere", List.of(), 0, T0));
    store.dispatch(execution("t", "unknown-task", "default", List.of(), 0, T0));
    store.dispatch(execution("ok", "other", "default", List.of(), 0, T0));
    assertThat(ids(store.claim(claim("w1", 10, T0)))).containsExactly("ok");
  }

  @Test
  void aClaimMovesExecutionsPastTheirMaximumDurationToExpired() {
    store.dispatch(
        new NewExecution(
            ExecutionId.of("e"),
            "work",
            "default",
            List.of(),
            0,
            "1",
            null,
            null,
            1,
            null,
            T0,
            T0,
            T0 + 100));
    assertThat(store.claim(claim("w1", 1, T0 + 100))).isEmpty();
    ExecutionRecord expired = store.find(ExecutionId.of("e")).orElseThrow();
    assertThat(expired.state()).isEqualTo(ExecutionState.EXPIRED);
    assertThat(expired.finishedAt()).isNotNull();
  }

  @Test
  void aClaimTakesALeaseWithAHigherFence() {
    ExecutionRecord run = claimOne("f", T0);
    assertThat(run.state()).isEqualTo(ExecutionState.RUNNING);
    assertThat(run.workerId()).isEqualTo("w1");
    assertThat(run.leaseExpiresAt()).isEqualTo(T0 + LEASE);
    assertThat(run.fence()).isEqualTo(1);
  }

  // ---- leases and fencing ------------------------------------------------------------------

  @Test
  void aLiveLeaseIsNotClaimedByAnotherWorker() {
    claimOne("live", T0);
    assertThat(store.claim(claim("w2", 1, T0 + LEASE - 1))).isEmpty();
  }

  @Test
  void aHeartbeatKeepsTheLeaseAlive() {
    ExecutionRecord run = claimOne("hb", T0);
    assertThat(store.heartbeat(run.lease(), T0 + 2 * LEASE)).isTrue();
    assertThat(store.claim(claim("w2", 1, T0 + LEASE + 1))).isEmpty();
    assertThat(store.find(run.id()).orElseThrow().leaseExpiresAt()).isEqualTo(T0 + 2 * LEASE);
  }

  @Test
  void anExpiredLeaseIsReclaimedAndEveryLateWriteOfTheZombieIsRejected() {
    ExecutionRecord zombie = claimOne("z", T0);
    List<ExecutionRecord> reclaimed = store.claim(claim("w2", 1, T0 + LEASE));
    assertThat(ids(reclaimed)).containsExactly("z");
    Lease lost = zombie.lease();
    Lease held = reclaimed.get(0).lease();
    assertThat(held.fence()).isGreaterThan(lost.fence());

    assertThat(store.heartbeat(lost, T0 + 10 * LEASE)).isFalse();
    assertThat(store.recordStep(lost, step(zombie.id(), 1, "\"late\""))).isFalse();
    assertThat(store.complete(lost, "\"zombie\"", T0 + LEASE + 1)).isFalse();
    assertThat(store.retry(lost, "x", T0, T0 + LEASE + 1)).isFalse();
    assertThat(store.fail(lost, "x", T0 + LEASE + 1)).isFalse();
    assertThat(store.suspend(lost, T0, null, T0 + LEASE + 1)).isFalse();
    assertThat(store.release(lost, T0 + LEASE + 1)).isFalse();
    assertThat(store.steps(zombie.id())).isEmpty();
    assertThat(store.countDeadLetters()).isZero();

    ExecutionRecord now = store.find(zombie.id()).orElseThrow();
    assertThat(now.state()).isEqualTo(ExecutionState.RUNNING);
    assertThat(now.workerId()).isEqualTo("w2");
    assertThat(store.complete(held, "\"winner\"", T0 + LEASE + 2)).isTrue();
    assertThat(store.find(zombie.id()).orElseThrow().resultJson()).isEqualTo("\"winner\"");
  }

  @Test
  void cancelIsTerminalAndALateCompletionCannotUndoIt() {
    ExecutionRecord run = claimOne("c", T0);
    assertThat(store.cancel(run.id(), T0 + 1)).isTrue();
    assertThat(store.complete(run.lease(), "1", T0 + 2)).isFalse();
    assertThat(store.heartbeat(run.lease(), T0 + LEASE)).isFalse();
    assertThat(store.cancel(run.id(), T0 + 3)).isFalse();
    assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(ExecutionState.CANCELLED);
  }

  @Test
  void everyFalsyResultIsStoredAsAResult() {
    List<String> falsy = List.of("0", "false", "\"\"", "[]", "{}", "null");
    for (int i = 0; i < falsy.size(); i++) {
      ExecutionRecord run = claimOne("falsy-" + i, T0);
      assertThat(store.complete(run.lease(), falsy.get(i), T0 + 1)).isTrue();
      ExecutionRecord done = store.find(run.id()).orElseThrow();
      assertThat(done.state()).isEqualTo(ExecutionState.COMPLETED);
      assertThat(done.resultJson()).isEqualTo(falsy.get(i));
    }
  }

  @Test
  void completeAllCompletesEachExecutionFencedByItsOwnLease() {
    ExecutionRecord first = claimOne("g1", T0);
    ExecutionRecord lost = claimOne("g2", T0);
    ExecutionRecord third = claimOne("g3", T0);
    List<ExecutionRecord> reclaimed = store.claim(claim("w2", 5, T0 + LEASE));
    assertThat(ids(reclaimed)).containsExactlyInAnyOrder("g1", "g2", "g3");
    ExecutionRecord held1 =
        reclaimed.stream().filter(r -> r.id().equals(first.id())).findFirst().orElseThrow();
    ExecutionRecord held3 =
        reclaimed.stream().filter(r -> r.id().equals(third.id())).findFirst().orElseThrow();
    List<Boolean> accepted =
        store.completeAll(
            List.of(
                new Completion(held1.lease(), "0", T0 + LEASE + 1),
                new Completion(lost.lease(), "\"zombie\"", T0 + LEASE + 1),
                new Completion(held3.lease(), "null", T0 + LEASE + 1)));
    assertThat(accepted).containsExactly(true, false, true);
    assertThat(store.find(first.id()).orElseThrow().resultJson()).isEqualTo("0");
    assertThat(store.find(third.id()).orElseThrow().resultJson()).isEqualTo("null");
    assertThat(store.find(lost.id()).orElseThrow().state()).isEqualTo(ExecutionState.RUNNING);
  }

  @Test
  void aReleasedExecutionIsDueAtOnceWithoutUsingAnAttempt() {
    ExecutionRecord run = claimOne("rel", T0);
    assertThat(store.release(run.lease(), T0 + 5)).isTrue();
    List<ExecutionRecord> again = store.claim(claim("w2", 1, T0 + 5));
    assertThat(ids(again)).containsExactly("rel");
    assertThat(again.get(0).attempt()).isEqualTo(1);
  }

  // ---- steps and signals -------------------------------------------------------------------

  static StepRecord step(ExecutionId id, int sequence, String outcome) {
    return new StepRecord(
        id, sequence, "step-" + sequence, StepKind.STEP, StepStatus.DONE, outcome, null, T0);
  }

  @Test
  void checkpointedStepsSurviveAReclaimAndComeBackInSequence() {
    ExecutionRecord run = claimOne("s", T0);
    assertThat(store.recordStep(run.lease(), step(run.id(), 2, "false"))).isTrue();
    assertThat(store.recordStep(run.lease(), step(run.id(), 1, "0"))).isTrue();
    List<ExecutionRecord> reclaimed = store.claim(claim("w2", 1, T0 + LEASE));
    assertThat(ids(reclaimed)).containsExactly("s");
    assertThat(store.steps(run.id()))
        .extracting(StepRecord::sequence, StepRecord::outcomeJson)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "0"),
            org.assertj.core.groups.Tuple.tuple(2, "false"));
  }

  @Test
  void aPendingTimerStepKeepsItsDeadlineAndANullOutcome() {
    ExecutionRecord run = claimOne("timer", T0);
    StepRecord timer =
        new StepRecord(
            run.id(), 1, "sleep", StepKind.SLEEP, StepStatus.WAITING, null, T0 + 60_000, T0);
    StepRecord done = step(run.id(), 2, "\"x\"");
    assertThat(store.recordStep(run.lease(), timer)).isTrue();
    assertThat(store.recordStep(run.lease(), done)).isTrue();
    assertThat(store.steps(run.id())).containsExactly(timer, done);
  }

  @Test
  void aSignalIsBufferedUntilConsumedAndConsumedOnce() {
    ExecutionRecord run = claimOne("sig", T0);
    assertThat(store.send(run.id(), "go", "{\"v\":1}", T0 + 1)).isTrue();
    assertThat(store.send(ExecutionId.of("nobody"), "go", "1", T0 + 1)).isFalse();
    assertThat(store.consumeSignal(run.lease(), "go", 1, "await go", T0 + 2)).contains("{\"v\":1}");
    assertThat(store.consumeSignal(run.lease(), "go", 2, "await go", T0 + 3)).isEmpty();
    assertThat(store.steps(run.id()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(StepKind.SIGNAL);
              assertThat(s.outcomeJson()).isEqualTo("{\"v\":1}");
            });
  }

  @Test
  void aSuspendedExecutionWakesWhenItsSignalArrives() {
    ExecutionRecord run = claimOne("wait", T0);
    assertThat(store.suspend(run.lease(), T0 + 60_000, Awaiting.signal("go"), T0 + 1)).isTrue();
    assertThat(store.claim(claim("w1", 1, T0 + 10))).isEmpty();
    store.send(run.id(), "go", "true", T0 + 10);
    assertThat(ids(store.claim(claim("w1", 1, T0 + 10)))).containsExactly("wait");
  }

  @Test
  void aSignalSentBeforeTheSuspensionMakesItDueAtOnce() {
    ExecutionRecord run = claimOne("early", T0);
    store.send(run.id(), "go", "1", T0 + 1);
    assertThat(store.suspend(run.lease(), T0 + 60_000, Awaiting.signal("go"), T0 + 2)).isTrue();
    assertThat(ids(store.claim(claim("w1", 1, T0 + 2)))).containsExactly("early");
  }

  @Test
  void aParentWaitingForItsChildIsWokenWhenTheChildEnds() {
    ExecutionRecord parent = claimOne("parent", T0);
    ExecutionId childId = parent.id().child(1);
    store.dispatch(
        new NewExecution(
            childId,
            "other",
            "default",
            List.of(),
            0,
            "1",
            null,
            parent.id(),
            1,
            null,
            T0,
            T0,
            null));
    assertThat(store.suspend(parent.lease(), T0 + 60_000, Awaiting.child(childId), T0 + 1))
        .isTrue();
    List<ExecutionRecord> child = store.claim(claim("w1", 5, T0 + 2));
    assertThat(ids(child)).containsExactly(childId.value());
    assertThat(store.complete(child.get(0).lease(), "7", T0 + 3)).isTrue();
    assertThat(ids(store.claim(claim("w1", 5, T0 + 3)))).containsExactly("parent");
  }

  private void dispatchChild(ExecutionId childId, ExecutionId parentId) {
    store.dispatch(
        new NewExecution(
            childId, "other", "default", List.of(), 0, "1", null, parentId, 1, null, T0, T0, null));
  }

  @Test
  void cancellingAParentCancelsEveryLiveExecutionBelowItAndNothingElse() {
    ExecutionRecord parent = claimOne("parent", T0);
    ExecutionId running = parent.id().child(1);
    ExecutionId ended = parent.id().child(2);
    ExecutionId grandchild = running.child(1);
    dispatchChild(running, parent.id());
    dispatchChild(ended, parent.id());
    dispatchChild(grandchild, running);
    store.dispatch(execution("bystander"));
    ExecutionRecord endedRun =
        store.claim(claim("w1", 5, T0 + 1)).stream()
            .filter(r -> r.id().equals(ended))
            .findFirst()
            .orElseThrow();
    assertThat(store.complete(endedRun.lease(), "2", T0 + 2)).isTrue();

    assertThat(store.cancel(parent.id(), T0 + 3)).isTrue();

    assertThat(store.find(parent.id()).orElseThrow().state()).isEqualTo(ExecutionState.CANCELLED);
    assertThat(store.find(running).orElseThrow().state()).isEqualTo(ExecutionState.CANCELLED);
    assertThat(store.find(grandchild).orElseThrow().state()).isEqualTo(ExecutionState.CANCELLED);
    assertThat(store.find(ended).orElseThrow().state()).isEqualTo(ExecutionState.COMPLETED);
    assertThat(store.find(ExecutionId.of("bystander")).orElseThrow().state())
        .isIn(ExecutionState.PENDING, ExecutionState.RUNNING);
  }

  @Test
  void cancellingAnEndedParentLeavesItsChildrenAlone() {
    ExecutionRecord parent = claimOne("parent", T0);
    ExecutionId child = parent.id().child(1);
    dispatchChild(child, parent.id());
    assertThat(store.complete(parent.lease(), "1", T0 + 1)).isTrue();

    assertThat(store.cancel(parent.id(), T0 + 2)).isFalse();

    assertThat(store.find(child).orElseThrow().state()).isEqualTo(ExecutionState.PENDING);
  }

  // ---- failures and dead letters -----------------------------------------------------------

  @Test
  void aFailureRecordsADeadLetterThatCanBeReplayedOrDiscarded() {
    ExecutionRecord first = claimOne("dead1", T0);
    assertThat(store.fail(first.lease(), "boom", T0 + 1)).isTrue();
    ExecutionRecord second = claimOne("dead2", T0 + 2);
    assertThat(store.fail(second.lease(), "bang", T0 + 3)).isTrue();

    assertThat(store.countDeadLetters()).isEqualTo(2);
    assertThat(store.deadLetters(10, 0))
        .extracting(d -> d.executionId().value(), DeadLetter::error)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dead1", "boom"),
            org.assertj.core.groups.Tuple.tuple("dead2", "bang"));

    assertThat(store.replay(first.id(), T0 + 10)).isTrue();
    ExecutionRecord replayed = store.find(first.id()).orElseThrow();
    assertThat(replayed.state()).isEqualTo(ExecutionState.PENDING);
    assertThat(replayed.attempt()).isEqualTo(1);
    assertThat(store.discard(second.id())).isTrue();
    assertThat(store.discard(second.id())).isFalse();
    assertThat(store.replay(second.id(), T0 + 11)).isFalse();
    assertThat(store.find(second.id()).orElseThrow().state()).isEqualTo(ExecutionState.FAILED);
    assertThat(store.countDeadLetters()).isZero();
  }

  // ---- queries, counts, retention ----------------------------------------------------------

  @Test
  void countsEveryStateByQueryIncludingZeros() {
    store.dispatch(execution("p", "work", "default", List.of(), 0, T0 + 1_000_000));
    ExecutionRecord done = claimOne("done", T0);
    store.complete(done.lease(), "1", T0 + 1);
    store.dispatch(execution("c"));
    store.cancel(ExecutionId.of("c"), T0 + 1);
    claimOne("run", T0 + 2);
    Map<ExecutionState, Long> counts = store.countByState();
    assertThat(counts)
        .containsEntry(ExecutionState.PENDING, 1L)
        .containsEntry(ExecutionState.RUNNING, 1L)
        .containsEntry(ExecutionState.COMPLETED, 1L)
        .containsEntry(ExecutionState.CANCELLED, 1L)
        .containsEntry(ExecutionState.FAILED, 0L)
        .containsEntry(ExecutionState.EXPIRED, 0L);
  }

  @Test
  void listingFiltersByStateQueueAndTaskNewestFirstInPages() {
    for (int i = 0; i < 5; i++) {
      store.dispatch(
          new NewExecution(
              ExecutionId.of("l" + i),
              i % 2 == 0 ? "work" : "other",
              "default",
              List.of(),
              0,
              "1",
              null,
              null,
              1,
              null,
              T0 + i,
              T0 + i,
              null));
    }
    assertThat(ids(store.list(new ExecutionFilter(null, null, null, 2, 0))))
        .containsExactly("l4", "l3");
    assertThat(ids(store.list(new ExecutionFilter(null, null, null, 2, 2))))
        .containsExactly("l2", "l1");
    assertThat(ids(store.list(new ExecutionFilter(null, null, "work", 10, 0))))
        .containsExactly("l4", "l2", "l0");
    assertThat(ids(store.list(new ExecutionFilter(ExecutionState.RUNNING, null, null, 10, 0))))
        .isEmpty();
    assertThat(ids(store.list(new ExecutionFilter(null, "elsewhere", null, 10, 0)))).isEmpty();
  }

  @Test
  void purgeDeletesEndedExecutionsBeforeTheCutoffInBatchesAndKeepsTheRest() {
    for (int i = 0; i < 5; i++) {
      ExecutionRecord run = claimOne("old" + i, T0);
      store.complete(run.lease(), "1", T0 + 10);
    }
    ExecutionRecord failed = claimOne("failed", T0);
    store.fail(failed.lease(), "x", T0 + 10);
    store.dispatch(execution("pending"));
    assertThat(store.purgeFinished(Long.MAX_VALUE, 3)).isEqualTo(3);
    assertThat(store.purgeFinished(Long.MAX_VALUE, 3)).isEqualTo(2);
    assertThat(store.purgeFinished(Long.MAX_VALUE, 3)).isZero();
    assertThat(store.find(ExecutionId.of("failed"))).isPresent();
    assertThat(store.find(ExecutionId.of("pending"))).isPresent();
    assertThat(store.countByState().get(ExecutionState.COMPLETED)).isZero();
  }

  // ---- concurrency -------------------------------------------------------------------------

  @Test
  void eightConcurrentClaimersNeverReceiveTheSameExecution() throws Exception {
    int total = 400;
    List<NewExecution> batch = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      batch.add(execution("c" + i));
    }
    store.dispatchAll(batch);
    Map<String, String> owner = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> claimers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int w = 0; w < 8; w++) {
        String worker = "w" + w;
        claimers.add(
            pool.submit(
                () -> {
                  start.await();
                  while (true) {
                    List<ExecutionRecord> got = store.claim(claim(worker, 7, T0));
                    if (got.isEmpty()) {
                      return null;
                    }
                    for (ExecutionRecord r : got) {
                      if (owner.putIfAbsent(r.id().value(), worker) != null) {
                        duplicates.incrementAndGet();
                      }
                      store.complete(r.lease(), "null", T0 + 1);
                    }
                  }
                }));
      }
      start.countDown();
      for (Future<?> claimer : claimers) {
        claimer.get();
      }
    }
    assertThat(duplicates).hasValue(0);
    assertThat(owner).hasSize(total);
    assertThat(store.countByState().get(ExecutionState.COMPLETED)).isEqualTo(total);
  }

  @Test
  void aSecondStoreOnTheSameDatabaseSeesTheSameExecutions() throws Exception {
    store.dispatch(execution("shared"));
    try (ExecutionStore second = openSecondStore()) {
      assertThat(ids(second.claim(claim("other-process", 1, T0)))).containsExactly("shared");
      assertThat(store.claim(claim("w1", 1, T0))).isEmpty();
    }
  }
}
