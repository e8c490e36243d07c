package dev.sluice.bench.gateway;

import java.net.URI;
import java.util.List;

/**
 * One way to the upstream the benchmark measures.
 *
 * @param name how the report names it
 * @param uri the URI the driver requests
 * @param processes the processes between the driver and the upstream (gateways, redis-server,
 *     nginx), whose CPU time the report divides by the requests
 */
record Target(String name, URI uri, List<ProcessHandle> processes) {}
