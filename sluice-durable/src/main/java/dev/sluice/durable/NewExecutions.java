package dev.sluice.durable;

import dev.sluice.durable.store.NewExecution;
import dev.sluice.retry.RetrySchedule;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Turns a task, an input and dispatch options into the execution a store inserts. */
final class NewExecutions {
  private final TimeSource time;
  private final JsonCodec codec;

  NewExecutions(TimeSource time, JsonCodec codec) {
    this.time = time;
    this.codec = codec;
  }

  NewExecution prepare(
      Task<?, ?> task, Object input, DispatchOptions options, String key, long now) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(options, "options");
    long due = saturatedAdd(now, options.delay());
    if (options.notBefore() != null) {
      due = Math.max(due, options.notBefore().toEpochMilli());
    }
    Long expiresAt =
        options.maxDuration() == null ? null : saturatedAdd(now, options.maxDuration());
    ExecutionId id = ExecutionId.timeOrdered(time);
    RetrySchedule retry =
        options.retry() != null
            ? options.retry()
            : task.retryPolicy() == null ? null : task.retryPolicy().schedule();
    return new NewExecution(
        id,
        task.name(),
        options.queue(),
        List.copyOf(options.tags()),
        options.priority(),
        codec.write(input, "input of task " + task.name()),
        key,
        null,
        retry == null ? 1 : retry.maxAttempts(),
        retry == null ? null : RetryScheduleJson.write(retry),
        now,
        due,
        expiresAt);
  }

  private static long saturatedAdd(long epochMillis, Duration duration) {
    long millis;
    try {
      millis = duration.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
    return millis > Long.MAX_VALUE - epochMillis ? Long.MAX_VALUE : epochMillis + millis;
  }
}
