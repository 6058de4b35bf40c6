#!/usr/bin/env bash
# The Open311 create benchmark (issue 21; not part of the test run), on the 1,000,000-record bench database
# (tests/bench/run.sh makes it in .bench/): one client system posting reports to /open311/v2/requests.json with
# wrk -t2 -c8, every report a new sender id at a different place in central Hanoi (each is placed in its ward by
# PostGIS and written with its reporter). Target: ≥ 200 reports/s sustained with p99 ≤ 100 ms.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/bench/service.sh
DURATION=${DURATION:-20s}
start_bench_service open311-app.log HOTSPOTS_OPEN311_RATE_PER_SECOND=100000 HOTSPOTS_OPEN311_RATE_BURST=100000
work=$(mktemp -d)
trap '[ -n "$app" ] && kill $app 2>/dev/null; stop_cluster "$root/.bench/pg"; rm -rf "$work"' EXIT
key=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'content-type: application/json' -d '{"name":"bench"}' "$base/api/admin/open311/clients" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
before=$(bench_psql "select count(*) from field_reports where channel = 'open311'")
cat > "$work/post.lua" <<LUA
local n = 0
local thread_id = 0
setup = function(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end
request = function()
  n = n + 1
  local lat = 21.00 + (n % 500) * 0.0001
  local lon = 105.82 + (n % 377) * 0.0001
  local body = "api_key=$key&service_code=flood_point&lat=" .. lat .. "&long=" .. lon ..
    "&description=Ng%E1%BA%ADp%20s%C3%A2u%2030cm&first_name=Bench&phone=0900000000&external_id=b-" .. tid .. "-" .. n .. "-" .. math.random(1e9)
  return wrk.format("POST", "/open311/v2/requests.json", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
LUA
wrk -t2 -c8 -d"$DURATION" --latency -s "$work/post.lua" "$base" > "$work/wrk.txt" 2>&1 || true
after=$(bench_psql "select count(*) from field_reports where channel = 'open311'")
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt"); p99=$(awk '/^ +99%/ {print $2}' "$work/wrk.txt"); non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
echo "bench: $rows hotspots; $((after - before)) reports written"
echo "RESULT open311-create $rps reports/s (target ≥ 200), p99 $p99 (target ≤ 100 ms), non-2xx ${non2xx:-0}"
echo "service peak RSS $(awk '/VmHWM/ {print int($2/1024)}' /proc/$app/status) MB"
