package dev.sluice.http;

/** What happens to a request whose token fails verification. */
public enum InvalidTokenAction {
  /** Count it as anonymous, by address (the default). */
  ANONYMOUS,
  /** Refuse it with 401 and a problem body. */
  REJECT
}
