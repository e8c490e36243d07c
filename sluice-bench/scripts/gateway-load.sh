#!/usr/bin/env bash
# The gateway load and latency benchmark (docs/benchmarks.md, "Gateway under load"; how to run it:
# docs/gateway.md). Installs Debian's nginx when it is missing (apt-get, as root), builds the two
# jars only when they are missing (no tests), then runs dev.sluice.bench.gateway.GatewayLoadBenchmark,
# which starts the upstream, redis-server, the gateways and nginx itself, measures every target one
# after another, stops them all and writes a markdown report.
#
#   sluice-bench/scripts/gateway-load.sh [--out FILE] [--seconds 60] [--rate 1000] [--skip-search] ...
#
# Run it on an otherwise idle machine: the driver, the upstream and the target share its CPUs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
sluice_jar="sluice-app/target/sluice.jar"
bench_jar="sluice-bench/target/benchmarks.jar"

find_java() { # a JDK >= 21: JAVA_HOME, java on PATH, or the newest under /usr/lib/jvm
  local candidate v
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" \
      $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    v="$("$candidate" -XshowSettings:properties -version 2>&1 \
      | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1)"
    if [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 21 )); then echo "$candidate"; return; fi
  done
  echo "gateway-load: no JDK >= 21 found (set JAVA_HOME)" >&2
  exit 2
}

nginx_binary() {
  command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true
}

nginx="$(nginx_binary)"
if [[ -z "$nginx" ]]; then
  echo "gateway-load: nginx is missing; installing Debian's (apt-get install -y nginx)" >&2
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "gateway-load: run as root, or install nginx first" >&2
    exit 2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y nginx >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx >&2; }
  nginx="$(nginx_binary)"
  [[ -n "$nginx" ]] || { echo "gateway-load: nginx still missing after apt-get" >&2; exit 2; }
fi

if [[ ! -f "$sluice_jar" || ! -f "$bench_jar" ]]; then
  echo "gateway-load: building $sluice_jar and $bench_jar (no tests)" >&2
  mvn -B -q -pl sluice-app,sluice-bench -am package -DskipTests -Djacoco.skip=true >&2
fi

java="$(find_java)"
mkdir -p sluice-bench/target
exec "$java" -cp "$bench_jar" dev.sluice.bench.gateway.GatewayLoadBenchmark \
  --sluice-jar "$sluice_jar" --nginx "$nginx" \
  --out "sluice-bench/target/gateway-load-$(date -u +%Y%m%dT%H%M%SZ).md" "$@"
