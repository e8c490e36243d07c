package dev.sluice.durable;

import dev.sluice.durable.store.Completion;
import dev.sluice.durable.store.ExecutionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit of completions: handlers that finish at about the same time share one store
 * transaction. A handler's thread waits for its own verdict, so a refused (fenced) completion is
 * still reported to the run that made it. When idle, a completion is written at once, alone.
 */
final class Completer {
  private static final int MAX_BATCH = 256;

  private record Pending(Completion completion, CompletableFuture<Boolean> verdict) {}

  private final ExecutionStore store;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private volatile boolean running = true;
  private final Thread thread;

  Completer(ExecutionStore store, String workerId) {
    this.store = store;
    this.thread = Thread.ofVirtual().name("sluice-complete-" + workerId).start(this::loop);
  }

  /** Completes through the next batch; after {@link #stop()}, directly. */
  boolean complete(Completion completion) {
    if (!running) {
      return store.complete(completion.lease(), completion.resultJson(), completion.now());
    }
    Pending pending = new Pending(completion, new CompletableFuture<>());
    queue.add(pending);
    if (!running) {
      drainOnce(); // raced with stop(): make sure nobody waits for a stopped loop
    }
    return pending.verdict().join();
  }

  private void loop() {
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first != null) {
          List<Pending> batch = new ArrayList<>();
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
          write(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void drainOnce() {
    List<Pending> batch = new ArrayList<>();
    queue.drainTo(batch);
    if (!batch.isEmpty()) {
      write(batch);
    }
  }

  private void write(List<Pending> batch) {
    List<Completion> completions = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      completions.add(pending.completion());
    }
    try {
      List<Boolean> accepted = store.completeAll(completions);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).verdict().complete(accepted.get(i));
      }
    } catch (RuntimeException e) {
      for (Pending pending : batch) {
        pending.verdict().completeExceptionally(e);
      }
    }
  }

  /** Writes what is queued, then stops; later completions go to the store directly. */
  void stop() {
    running = false;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drainOnce();
  }
}
