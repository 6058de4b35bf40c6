#!/usr/bin/env bash
# The duplicate-warning lookup (issue 18): GET /api/hotspots/nearby at random places in the inner wards, on the
# 1,000,000-record bench database (tests/bench/run.sh makes it in .bench/), for each layer: one request at a time
# (what a person opening the new-record form waits for) and eight at once. Prints p50/p95/p99 like the other benches.
# Target: p95 ≤ 20 ms. Not part of the test run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/bench/service.sh
DURATION=${DURATION:-15s}
start_bench_service nearby-app.log HOTSPOTS_RESPONSE_CACHE_MB=0
echo "bench: $rows hotspots"
work=$(mktemp -d)
trap '[ -n "$app" ] && kill $app 2>/dev/null; stop_cluster "$root/.bench/pg"; rm -rf "$work"' EXIT
export BENCH_TOKEN=$token
for layer in flooding urban-order; do
  python3 - "$layer" > "$work/$layer.lua" <<'PY'
import random, sys
layer = sys.argv[1]
rnd = random.Random(18)
print("local paths = {")
for _ in range(5000):
    print(f'  "/api/hotspots/nearby?lon={105.78 + rnd.random() * 0.10:.6f}&lat={20.98 + rnd.random() * 0.08:.6f}&layer={layer}",')
print("}")
PY
  cat tests/bench/paths-request.lua >> "$work/$layer.lua"
  wrk -t1 -c1 -d5s -s "$work/$layer.lua" "$base" >/dev/null # warm
  one=$(wrk -t1 -c1 -d"$DURATION" -s "$work/$layer.lua" "$base" | tail -1)
  eight=$(wrk -t2 -c8 -d"$DURATION" -s "$work/$layer.lua" "$base" | tail -1)
  answer=$(curl -sf -H "Authorization: Bearer $token" "$base/api/hotspots/nearby?lon=105.8412&lat=21.0245&layer=$layer" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["records"]))')
  echo "TARGET nearby-$layer one-at-a-time: $one (target p95 <= 20 ms); eight at once: $eight; e.g. $answer records near Hoàn Kiếm lake"
done
