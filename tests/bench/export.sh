#!/usr/bin/env bash
# The export benchmark (not part of the test run): every hotspot of the 1,000,000-record bench database
# (tests/bench/run.sh makes it in .bench/) exported as CSV, GeoJSON and XLSX through /api/export, timed, with the
# service's peak memory. Target (issue 7): ≥ 100,000 rows/s, ≤ 200 MB.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. .ci/pg.sh
. tests/bench/auth.sh
ensure_postgis
dotnet build -c Release src/Hotspots.Web -v q -nologo >/dev/null
pgport=$(free_port)
start_cluster "$root/.bench/pg" "$pgport"
app=""
trap '[ -n "$app" ] && kill $app 2>/dev/null; stop_cluster "$root/.bench/pg"' EXIT
appport=$(free_port)
HOTSPOTS_DB="Host=127.0.0.1;Port=$pgport;Database=bench;Username=postgres" HOTSPOTS_URLS="http://127.0.0.1:$appport" HOTSPOTS_SAMPLE_COUNT=1000000 \
  HOTSPOTS_RESPONSE_CACHE_MB=0 Logging__LogLevel__Default=Warning dotnet src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll > "$root/.bench/export-app.log" 2>&1 &
app=$!
until curl -sf "http://127.0.0.1:$appport/health" >/dev/null; do sleep 0.3; done
token=$(bench_token "http://127.0.0.1:$appport")
version() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d bench -tAc "select coalesce((select version from ward_stats_state), 0)"; }
v0=$(version)
until [ "$(version)" -gt "$v0" ]; do sleep 1; done # the start-up snapshot rebuild runs first
rows=$(runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d bench -tAc "select count(*) from hotspots")
echo "bench: $rows hotspots; service RSS before exports $(awk '/VmRSS/ {print int($2/1024)}' /proc/$app/status) MB"
for f in csv geojson xlsx; do
  t=$(date +%s%N)
  bytes=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$appport/api/export/hotspots.$f" | wc -c)
  ms=$(( ($(date +%s%N) - t) / 1000000 ))
  echo "EXPORT $f $(awk -v r="$rows" -v ms="$ms" 'BEGIN { printf "%.0f", r / (ms / 1000) }') rows/s ($bytes bytes in $ms ms; target 100000 rows/s), service peak RSS $(awk '/VmHWM/ {print int($2/1024)}' /proc/$app/status) MB (target 200)"
done
