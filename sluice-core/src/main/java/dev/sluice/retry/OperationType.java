package dev.sluice.retry;

/**
 * Kinds of work that deserve different retry behaviour; each has a preset {@link OperationProfile}
 * (see {@link OperationProfile#preset}).
 */
public enum OperationType {
  /** Fetching the content itself: critical, so retried aggressively. */
  DOWNLOAD,
  /** Checking what was fetched: not urgent, so deferred instead of retried at once. */
  VALIDATE,
  /** Fetching a manifest that has fallbacks: deferred, and the fallback used meanwhile. */
  MANIFEST_FETCH,
  /** Resolving where to fetch from: there are alternatives, so fail over to the next one. */
  RESOLVE,
  /** Unpacking fetched content: a standard retry. */
  EXTRACT
}
