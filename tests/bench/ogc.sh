#!/usr/bin/env bash
# The OGC API – Features benchmark (issue 21; not part of the test run), on the 1,000,000-record bench database
# (tests/bench/run.sh makes it in .bench/). Two figures, each against the product's own reference:
#   1. a 1,000-feature bbox page from /ogc/…/items against the map API's /api/features with the same bbox and
#      limit, wrk -t2 -c8 A B A B; every request a slightly different bbox (20,000 per run, each run its own), so
#      no answer comes from the map API's response cache — like for like, both computed (target ≥ 1×);
#   2. GDAL's ogr2ogr copying a whole layer from /ogc (pages of 10,000) against the CSV export of the same rows
#      (target ≤ 2× its time).
# Prints RATIO lines like run.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/bench/service.sh
DURATION=${DURATION:-15s}
start_bench_service ogc-app.log
echo "bench: $rows hotspots"
work=$(mktemp -d)
trap '[ -n "$app" ] && kill $app 2>/dev/null; stop_cluster "$root/.bench/pg"; rm -rf "$work"' EXIT

# A bbox around Hoàn Kiếm that holds at least 1,000 urban-order records.
d=$(bench_psql "SELECT d FROM generate_series(0.001, 0.05, 0.0005) d
  WHERE (SELECT count(*) FROM hotspots WHERE category = 'urban_order' AND geom && ST_MakeEnvelope(105.8524 - d, 21.0288 - d, 105.8524 + d, 21.0288 + d, 4326)) >= 1000
  ORDER BY d LIMIT 1")
lua() { # file, path template with {bbox}, run number (each run its own 20,000 boxes: none was asked before)
  python3 - "$2" "$d" "$3" > "$1" <<'PY'
import sys
template, d, run = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
print("local paths = {")
for i in range(run * 20000, (run + 1) * 20000):
    e = i * 1e-7
    print(f'  "{template.replace("{bbox}", f"{105.8524 - d + e:.7f},{21.0288 - d:.7f},{105.8524 + d + e:.7f},{21.0288 + d:.7f}")}",')
print("}")
PY
  cat "$root/tests/bench/paths-request.lua" >> "$1"
}
for run in 0 1 2; do
  lua "$work/ogc$run.lua" "/ogc/collections/urban-order/items?bbox={bbox}&limit=1000" "$run"
  lua "$work/api$run.lua" "/api/features/urban-order?bbox={bbox}&limit=1000" "$run"
done
export BENCH_TOKEN=$token
rps() { wrk -t2 -c8 -d"$DURATION" --latency -s "$1" "$base" 2>&1 | awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} /Non-2xx/ {e=$NF} END {printf "%s %s %d\n", r, p, e}'; }
n=$(curl -sf -H "Authorization: Bearer $token" "$base/ogc/collections/urban-order/items?bbox=$(python3 -c "print(f'{105.8524-$d},{21.0288-$d},{105.8524+$d},{21.0288+$d}')")&limit=1000" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["numberReturned"])')
echo "bench: bbox ±$d° around Hoàn Kiếm, pages of $n urban-order features"
# Both warmed first (their code compiled, the box's pages read), on boxes of their own: the first measured run is no
# longer the only one that starts cold.
DURATION=5s rps "$work/ogc2.lua" >/dev/null; DURATION=5s rps "$work/api2.lua" >/dev/null
o1=$(rps "$work/ogc0.lua"); a1=$(rps "$work/api0.lua"); o2=$(rps "$work/ogc1.lua"); a2=$(rps "$work/api1.lua")
echo "bench: runs A B A B: ogc $(echo "$o1" | cut -d' ' -f1), map api $(echo "$a1" | cut -d' ' -f1), ogc $(echo "$o2" | cut -d' ' -f1), map api $(echo "$a2" | cut -d' ' -f1) req/s"
echo "RATIO ogc-items-bbox-1000-vs-map-api $(awk -v a="$o1 $o2" -v b="$a1 $a2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2f (ogc %.0f req/s, p99 %s / %s; map api %.0f req/s, p99 %s / %s; errors %d)", (x[1] + x[4]) / (y[1] + y[4]), (x[1] + x[4]) / 2, x[2], x[5], (y[1] + y[4]) / 2, y[2], y[5], x[3] + x[6] + y[3] + y[6] }') (target ≥ 1)"

# A whole layer: GDAL walking /ogc against the CSV export of the same rows.
layer=congestion
headers="$work/headers"; printf 'Authorization: Bearer %s\n' "$token" > "$headers"
count=$(bench_psql "select count(*) from hotspots where category = 'congestion'")
t0=$(date +%s.%N)
curl -sf -H "Authorization: Bearer $token" -o "$work/export.csv" "$base/api/export/$layer.csv"
t1=$(date +%s.%N)
GDAL_HTTP_HEADER_FILE=$headers ogr2ogr -f GeoJSON "$work/ogc.geojson" "OAPIF:$base/ogc" "$layer" -oo PAGE_SIZE=10000
t2=$(date +%s.%N)
csv_rows=$(($(wc -l < "$work/export.csv") - 1))
ogc_rows=$(python3 -c "import json; print(len(json.load(open('$work/ogc.geojson'))['features']))")
echo "bench: $layer has $count records; the CSV export wrote $csv_rows rows, ogr2ogr $ogc_rows features"
awk -v c="$t0 $t1 $t2" 'BEGIN { split(c, t, " "); e = t[2] - t[1]; g = t[3] - t[2]; printf "RATIO ogr2ogr-layer-vs-csv-export %.2f (ogr2ogr %.1f s, CSV export %.1f s) (target ≤ 2)\n", g / e, g, e }'
echo "service peak RSS $(awk '/VmHWM/ {print int($2/1024)}' /proc/$app/status) MB"
