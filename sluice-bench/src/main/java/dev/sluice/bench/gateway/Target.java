package dev.sluice.bench.gateway;

import java.net.URI;

/**
 * One way to the upstream the benchmark measures.
 *
 * @param name how the report names it
 * @param uri the URI the driver requests
 */
record Target(String name, URI uri) {}
