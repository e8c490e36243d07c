package dev.sluice.durable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes down every worker event as a line of text, in the order they come. */
final class RecordingListener implements WorkerListener {
  final List<Integer> claimed = new CopyOnWriteArrayList<>();
  final List<Long> claimNanos = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void onClaim(int claimed, long claimNanos) {
    this.claimed.add(claimed);
    this.claimNanos.add(claimNanos);
  }

  @Override
  public void onStarted(ExecutionRun run, long dispatchToStartNanos) {
    events.add("started " + describe(run) + " after " + dispatchToStartNanos / 1_000_000 + "ms");
  }

  @Override
  public void onCompleted(ExecutionRun run) {
    events.add("completed " + describe(run));
  }

  @Override
  public void onFailed(ExecutionRun run, Throwable failure, boolean retrying) {
    events.add(
        "failed "
            + describe(run)
            + " ("
            + failure.getMessage()
            + ")"
            + (retrying ? ", retrying" : ", for good"));
  }

  @Override
  public void onLeaseLost(ExecutionRun run, boolean cancelled) {
    events.add("lease lost " + describe(run) + (cancelled ? " (cancelled)" : ""));
  }

  @Override
  public void onWriteRefused(ExecutionRun run, String write) {
    events.add(write + " refused " + describe(run));
  }

  int totalClaimed() {
    return claimed.stream().mapToInt(Integer::intValue).sum();
  }

  List<String> matching(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).toList();
  }

  private static String describe(ExecutionRun run) {
    return run.task() + "@" + run.queue() + "#" + run.attempt();
  }
}
