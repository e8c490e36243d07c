package dev.sluice.durable;

import dev.sluice.ConfigException;
import dev.sluice.retry.RetryPolicy;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A named unit of durable work: its name (the key under which executions are stored), the types of
 * its input and output (written as JSON with Jackson; records work as they are) and its handler.
 *
 * <pre>{@code
 * record Fetch(String url) {}
 * record Page(int status, String body) {}
 *
 * Task<Fetch, Page> fetch = Task.of("fetch", Fetch.class, Page.class, (ctx, in) -> http.get(in.url()));
 * durable.register(fetch);
 * }</pre>
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class Task<I, O> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");

  private final String name;
  private final Class<I> inputType;
  private final Class<O> outputType;
  private final TaskHandler<I, O> handler;
  private final @Nullable RetryPolicy retryPolicy;

  private Task(
      String name,
      Class<I> inputType,
      Class<O> outputType,
      TaskHandler<I, O> handler,
      @Nullable RetryPolicy retryPolicy) {
    this.name = name;
    this.inputType = inputType;
    this.outputType = outputType;
    this.handler = handler;
    this.retryPolicy = retryPolicy;
  }

  /**
   * Defines a task.
   *
   * @param name a stable name: letters, digits and {@code . _ : / -}, 1 to 200 characters, starting
   *     with a letter or digit; renaming a task orphans its stored executions
   * @param inputType the input class
   * @param outputType the output class
   * @param handler the code
   * @param <I> the input type
   * @param <O> the output type
   * @return the task
   * @throws ConfigException if the name breaks its rule
   */
  public static <I, O> Task<I, O> of(
      String name, Class<I> inputType, Class<O> outputType, TaskHandler<I, O> handler) {
    Objects.requireNonNull(name, "task name");
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(
          "task name must be 1-200 characters of letters, digits and ._:/- starting with a letter"
              + " or digit, was \""
              + name
              + "\"");
    }
    return new Task<>(
        name,
        Objects.requireNonNull(inputType, "inputType"),
        Objects.requireNonNull(outputType, "outputType"),
        Objects.requireNonNull(handler, "handler"),
        null);
  }

  /**
   * This task with a retry policy. Its schedule (attempts, backoff, delays, budget) is the default
   * for dispatches that name none, and is stored with each execution; its predicates (which
   * failures to retry or abort on) apply in every process that registers the task. Without a
   * policy, an execution makes one attempt unless its dispatch options name a policy.
   *
   * @param policy the policy
   * @return a new task with the same name, types and handler
   */
  public Task<I, O> withRetry(RetryPolicy policy) {
    return new Task<>(
        name, inputType, outputType, handler, Objects.requireNonNull(policy, "retry policy"));
  }

  /**
   * The task's retry policy.
   *
   * @return the policy, or {@code null} if none was set
   */
  public @Nullable RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * The task's stored name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The input class.
   *
   * @return the input class
   */
  public Class<I> inputType() {
    return inputType;
  }

  /**
   * The output class.
   *
   * @return the output class
   */
  public Class<O> outputType() {
    return outputType;
  }

  /**
   * The code.
   *
   * @return the handler
   */
  public TaskHandler<I, O> handler() {
    return handler;
  }

  @Override
  public String toString() {
    return "Task[" + name + "]";
  }
}
