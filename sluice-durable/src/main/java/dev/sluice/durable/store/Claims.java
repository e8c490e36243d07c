package dev.sluice.durable.store;

import java.util.List;

/** A database's way to claim due executions under new leases; see {@link WorkerStore#claim}. */
interface Claims {
  List<ExecutionRecord> claim(ClaimRequest request);
}
