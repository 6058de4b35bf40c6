#!/usr/bin/env bash
# The public map's load test (not part of the test run), with the 1,000,000 records of common.sh:
#  - the requests a typical embed view makes, repeated (what a news article's readers send): from the response
#    cache, target >= 2,000 req/s with p99 <= 50 ms and no errors, while the dashboard is timed on the same server;
#  - the same public tiles uncached, against MapServer over the same public rows: target >= 1.0x.
set -euo pipefail
. "$(dirname "$0")/common.sh"

echo "bench: $(psql -d bench -tAc "select count(*) from public_hotspots") public records; wrk -t2 -c8 -d$DURATION"

# One embed view at z12 over central Hanoi: the page, its module, wards, statistics, projects and 5 layers x 15 tiles.
{
  echo "/embed?layers=flooding,congestion,urban-order,environment,food-safety,projects&status=open&stat=open"
  echo "/embed.js"
  echo "/Map/MapView.razor.js"
  echo "/api/public/wards?tolerance=0.0002"
  echo "/api/public/stats/wards"
  echo "/api/public/features/projects"
  for layer in flooding congestion urban-order environment food-safety; do
    tiles 12 3250 3254 1801 1803 "/api/public/tiles/$layer/{z}/{x}/{y}.mvt?status=open"
  done
} | paths_lua "$work/public-embed.lua"

# The dashboard on the same server meanwhile: its page and a ward's numbers, every 100 ms.
probe() { # base url, seconds -> "p95 max" in ms
  local end=$(( $(date +%s) + $2 )) t=()
  while [ "$(date +%s)" -lt "$end" ]; do
    t+=("$(acurl -s -o /dev/null -w '%{time_total}' "$1/?layers=flooding&status=open")")
    t+=("$(acurl -s -o /dev/null -w '%{time_total}' "$1/api/wards/00004/stats")")
    sleep 0.1
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{v[NR]=$1*1000} END {printf "%.1f %.1f\n", v[int(NR*0.95)], v[NR]}'
}

run_wrk "$CACHED" "$work/public-embed.lua" >/dev/null # warm: the first reader of each URL makes it
probe "$CACHED" 5 > "$work/probe-idle.txt"
probe "$CACHED" "${DURATION%s}" > "$work/probe-load.txt" &
prober=$!
o=$(run_wrk "$CACHED" "$work/public-embed.lua")
wait "$prober"
read -r rps p99 err p95 <<< "$o"
echo "TARGET public-embed-view-cached $rps req/s (target >= 2000), p99 $p99 ms (target <= 50), p95 $p95 ms, errors $err (target 0)"
echo "TARGET dashboard-under-load p95/max $(cat "$work/probe-load.txt") ms (idle: $(cat "$work/probe-idle.txt") ms)"

# Uncached public tiles against MapServer over the same public rows (urban order: generalised to 250 m cells).
for z in 14 12 16; do
  read -ra r <<< "$(tile_range $z)"
  tiles $z "${r[@]}" "/api/public/tiles/urban-order/{z}/{x}/{y}.mvt" | paths_lua "$work/public-z$z.lua"
  tiles $z "${r[@]}" "/ms?map=$ms/hanoi-public.map&mode=tile&tilemode=gmap&tile={x}+{y}+{z}&layers=points&map.imagetype=mvt" | paths_lua "$work/ms-public-z$z.lua"
  ab "public-tile-z$z-vs-mapserver" "$work/public-z$z.lua" "http://127.0.0.1:$msport" "$work/ms-public-z$z.lua"
done
