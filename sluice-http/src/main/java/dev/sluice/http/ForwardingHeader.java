package dev.sluice.http;

/** Which header trusted proxies use to name the client they forward for. */
public enum ForwardingHeader {
  /** {@code X-Forwarded-For}: a comma-separated list of addresses, proxies append on the right. */
  X_FORWARDED_FOR,
  /** RFC 7239 {@code Forwarded}: the {@code for=} parameter of each element. */
  FORWARDED
}
