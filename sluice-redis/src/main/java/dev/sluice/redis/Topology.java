package dev.sluice.redis;

/** How a {@link RedisStore} reaches Redis; all three go through Lettuce's own support. */
public enum Topology {
  /** One server (or a proxy in front of several), at the first endpoint. */
  STANDALONE,
  /** A master found through Redis Sentinel; the endpoints are the sentinels. */
  SENTINEL,
  /** Redis Cluster; the endpoints are seed nodes, the topology is discovered. */
  CLUSTER
}
