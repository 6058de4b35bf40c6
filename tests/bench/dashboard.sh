#!/usr/bin/env bash
# The dashboard benchmark (not part of the test run): first view (time to the map drawn and interactive, bytes
# transferred, largest GeoJSON answer) and server memory per open tab, in headless Chromium, with the default
# 20,000 records and with 1,000,000 (the database tests/bench/run.sh generates in .bench/; run that once first).
# Usage: bash tests/bench/dashboard.sh [first-view runs] [tab counts]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. .ci/pg.sh
RUNS=${1:-5}
TABS=${2:-0,10,20,30,40}
work="$root/.bench"
mkdir -p "$work"; chmod 755 "$work"
ensure_postgis
command -v chromium >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

pgport=$(free_port)
start_cluster "$work/pg" "$pgport"
app=""
trap '[ -n "$app" ] && kill $app 2>/dev/null; stop_cluster "$work/pg"' EXIT
psql() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1 "$@"; }
psql -tAc "select 1 from pg_database where datname='dash20k'" | grep -q 1 || psql -qc "create database dash20k"

dotnet build -c Release src/Hotspots.Web -v q -nologo >/dev/null
dotnet build -c Release tests/bench/Hotspots.Bench -v q -nologo >/dev/null
export Logging__LogLevel__Default=Warning HOTSPOTS_DIAGNOSTICS=true
. tests/bench/auth.sh # the first admin the bench signs in as

for db in dash20k bench; do
  appport=$(free_port)
  # dash20k loads the default 20,000 sample records on its first start; bench already holds its million.
  HOTSPOTS_DB="Host=127.0.0.1;Port=$pgport;Database=$db;Username=postgres;Password=$PG_PASSWORD" HOTSPOTS_URLS="http://127.0.0.1:$appport" \
    HOTSPOTS_SAMPLE_COUNT=$([ $db = bench ] && echo 1000000 || echo 20000) \
    dotnet src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll > "$work/dashboard-$db.log" 2>&1 &
  app=$!
  until curl -sf "http://127.0.0.1:$appport/health" >/dev/null; do sleep 0.3; done
  # First-start snapshots finish before measuring (the page would otherwise race the rebuild).
  until [ "$(psql -d $db -tAc "select count(*) from ward_stats" 2>/dev/null || echo 0)" -gt 0 ]; do sleep 0.5; done
  echo "== $(psql -d $db -tAc "select count(*) from hotspots") hotspots ($db)"
  dotnet tests/bench/Hotspots.Bench/bin/Release/net10.0/Hotspots.Bench.dll "http://127.0.0.1:$appport" "$RUNS" "$TABS"
  kill $app; wait $app 2>/dev/null || true; app=""
done
