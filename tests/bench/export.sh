#!/usr/bin/env bash
# The export benchmark (not part of the test run): every hotspot of the 1,000,000-record bench database
# (tests/bench/run.sh makes it in .bench/) exported as CSV, GeoJSON and XLSX through /api/export, timed, with the
# service's peak memory. Target (issue 7): ≥ 100,000 rows/s, ≤ 200 MB.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/bench/service.sh
start_bench_service export-app.log HOTSPOTS_RESPONSE_CACHE_MB=0
echo "bench: $rows hotspots; service RSS before exports $(awk '/VmRSS/ {print int($2/1024)}' /proc/$app/status) MB"
for f in csv geojson xlsx; do
  t=$(date +%s%N)
  bytes=$(curl -sf -H "Authorization: Bearer $token" "$base/api/export/hotspots.$f" | wc -c)
  ms=$(( ($(date +%s%N) - t) / 1000000 ))
  echo "EXPORT $f $(awk -v r="$rows" -v ms="$ms" 'BEGIN { printf "%.0f", r / (ms / 1000) }') rows/s ($bytes bytes in $ms ms; target 100000 rows/s), service peak RSS $(awk '/VmHWM/ {print int($2/1024)}' /proc/$app/status) MB (target 200)"
done
