#!/usr/bin/env bash
# Issue 19's target: embed-like traffic (thousands of connections, cacheable public tiles and answers carrying the
# data version) through nginx in front of two app nodes, against one app node alone on the same machine, side by
# side in one run: requests per second (target >= 2x), p99 (target <= 50 ms), errors (target 0). Starts its own
# cluster (.ci/cluster, in .bench/cluster, ports from 27000) with the public rate limit lifted for the one client wrk
# is, and stops it again. CONNECTIONS (default 1000), DURATION (default 20s). Not part of the test run.
# Then (cluster_load.py), unless CHANGES=0: the primary stopped under that load (seconds of failed writes, acknowledged
# writes lost, failed cached reads), and a 1,000,000-row import (the standby's replay lag, and how old a public read
# served as current can be).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
export HOTSPOTS_CLUSTER_DIR="$root/.bench/cluster" HOTSPOTS_CLUSTER_PORT=27000
export HOTSPOTS_PUBLIC_RATE_PER_SECOND=1000000 HOTSPOTS_PUBLIC_RATE_BURST=1000000 HOTSPOTS_SAMPLE_COUNT=${BENCH_COUNT:-20000}
connections=${CONNECTIONS:-1000}
duration=${DURATION:-20s}
mkdir -p "$root/.bench"
trap 'bash .ci/cluster down >/dev/null' EXIT
# A cluster of its own, from nothing: what an earlier run left (records, a pending import) would weigh on this one.
bash .ci/cluster down >/dev/null 2>&1 || true
rm -rf "$HOTSPOTS_CLUSTER_DIR"
bash .ci/cluster up >/dev/null
nginx=http://127.0.0.1:27080
node=http://127.0.0.1:27030
v=$(curl -sf "$nginx/api/public/version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
work=$(mktemp -d)
# What an embed on a news site asks for as readers pan around the inner city: tiles of the five layers at zooms 12
# to 15 and the wards' outlines, each URL carrying the data version.
python3 - "$v" > "$work/embed.lua" <<'PY'
import math, sys
v = sys.argv[1]
def tile(lon, lat, z):
    n = 2 ** z; r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
paths = []
for layer in ["flooding", "congestion", "urban-order", "environment", "food-safety"]:
    for z in (12, 13, 14, 15):
        x0, y0 = tile(105.78, 21.06, z); x1, y1 = tile(105.88, 20.98, z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                paths.append(f"/api/public/tiles/{layer}/{z}/{x}/{y}.mvt?v={v}")
paths.append(f"/api/public/wards?v={v}")
print("local paths = {")
for p in paths:
    print(f'  "{p}",')
print("}")
print("""
-- Each request formatted once (in init: the Host header is known there), not per request: the client's own cost
-- per request stays small beside the servers'.
local requests = {}
init = function(args)
  for k, p in ipairs(paths) do requests[k] = wrk.format("GET", p) end
end
local i = 0
request = function()
  i = i % #requests + 1
  return requests[i]
end
done = function(summary, latency, requests)
  io.write(string.format("%.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d requests, %d errors (status %d, connect %d, read %d, write %d, timeout %d)\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end""")
PY
echo "bench: $(grep -c '\.mvt' "$work/embed.lua") tile URLs, data version $v, $connections connections, $duration each"
# Both warmed the same way: every URL asked once (nginx's cache and the node's own response cache filled).
wrk -t2 -c50 -d10s -s "$work/embed.lua" "$nginx" >/dev/null
wrk -t2 -c50 -d10s -s "$work/embed.lua" "$node" >/dev/null
one=$(wrk -t2 -c"$connections" -d"$duration" --timeout 10s -s "$work/embed.lua" "$node" | tail -1)
both=$(wrk -t2 -c"$connections" -d"$duration" --timeout 10s -s "$work/embed.lua" "$nginx" | tail -1)
echo "one app node alone:        $one"
echo "nginx + two app nodes:     $both"
python3 - "$one" "$both" <<'PY'
import re, sys
def rps(s): return float(re.match(r"(\d+)", s).group(1))
def p99(s): return float(re.search(r"p99 ([0-9.]+)", s).group(1))
def errors(s): return int(re.search(r"(\d+) errors", s).group(1))
one, both = sys.argv[1], sys.argv[2]
print(f"TARGET cluster-embed: throughput {rps(both) / rps(one):.2f}x one node (target >= 2), p99 {p99(both):.1f} ms (target <= 50), {errors(both)} errors (target 0)")
PY
if [ "${CHANGES:-1}" = 1 ]; then
  # Cached reads go on through nginx while the primary is stopped and writes are tried every 100 ms.
  wrk -t1 -c200 -d50s --timeout 10s -s "$work/embed.lua" "$nginx" > "$work/reads" &
  reads=$!
  python3 tests/bench/cluster_load.py failover
  wait "$reads"
  echo "cached reads during the failover: $(tail -1 "$work/reads")"
  python3 - "$(tail -1 "$work/reads")" <<'PY'
import re, sys
errors = int(re.search(r"(\d+) errors", sys.argv[1]).group(1))
print(f"TARGET cluster-failover-reads: {errors} failed cached reads (target 0)")
PY
  # The old primary back as a standby before the import (the lag is the standby's).
  for _ in $(seq 1 120); do
    { curl -sf -o /dev/null http://127.0.0.1:27020/replica || curl -sf -o /dev/null http://127.0.0.1:27021/replica; } && break
    sleep 1
  done
  python3 tests/bench/cluster_load.py lag
fi
rm -rf "$work"
