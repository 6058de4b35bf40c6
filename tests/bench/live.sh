#!/bin/bash
# Issue 22 — live in seconds, at 1,000,000 records (the bench database run.sh generates, kept in .bench/):
#  1. a planner's edit through the API → on the public map (features by id), p50/p95, one edit at a time, and the
#     refresher's own database time for each of those one-edit batches (from the service's log);
#  2. the same while 100 edits per second arrive for a minute (pgbench -R 100 straight into the table, as other
#     nodes and tools would write): the edit → map time in the first and the second half (is the lag growing?);
#  3. a 10,000-row import of a new source: from "succeeded" to all its records on the public map;
#  4. a full rebuild (`snapshot rebuild`), with the public map answering meanwhile (old snapshot until the commit): read
#     50 times a second (a few open embeds), then as fast as one client can; then `snapshot check`: incremental must equal full;
#  5. with LIVE_FIRST_LOAD=1, a 1,000,000-row first load (.bench/import-1000000.csv from imports.sh) the same way as 3,
#     and its records deleted again afterwards.
# Prints RATIO lines against the issue's targets (ours / target: ≤ 1 meets it). Starts its own cluster and one
# service, stops exactly those (by pid).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. .ci/pg.sh
. tests/bench/auth.sh
work="$root/.bench"
ensure_postgis
command -v pgbench >/dev/null || { echo "live: pgbench is part of postgresql-15 (already installed with it)"; exit 1; }
pgport=$(free_port)
start_cluster "$work/pg" "$pgport"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_cluster "$work/pg"
}
trap cleanup EXIT
psql() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1 "$@"; }
have=$(psql -d bench -tAc "select count(*) from hotspots where is_sample" 2>/dev/null || echo 0)
dotnet build -c Release src/Hotspots.Web -v q -nologo >/dev/null
app=src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll
export HOTSPOTS_DB="Host=127.0.0.1;Port=$pgport;Database=bench;Username=postgres;Password=$PG_PASSWORD"
if [ "$have" -lt 1000000 ]; then
  psql -tAc "select 1 from pg_database where datname='bench'" | grep -q 1 || psql -qc "create database bench"
  echo "live: generating 1,000,000 records (once; kept in .bench/)…"
  HOTSPOTS_SAMPLE_COUNT=1000000 Logging__LogLevel__Default=Warning dotnet "$app" generate --count 1000000
fi
appport=$(free_port)
base="http://127.0.0.1:$appport"
HOTSPOTS_URLS="$base" HOTSPOTS_SAMPLE_COUNT=0 HOTSPOTS_IMPORT_MAX_MB=500 HOTSPOTS_RESPONSE_CACHE_MB=256 \
  HOTSPOTS_PUBLIC_RATE_PER_SECOND=1000000 HOTSPOTS_PUBLIC_RATE_BURST=1000000 \
  Logging__LogLevel__Default=Warning env 'Logging__LogLevel__Hotspots.Snapshots.SnapshotRefresher=Information' \
  dotnet "$app" > "$work/live-app.log" 2>&1 &
pids+=($!)
until curl -sf "$base/health" >/dev/null; do sleep 0.3; done
token=$(bench_token "$base")
sleep 3 # the start's catch-up batch
PGPORT=$pgport BASE=$base TOKEN=$token WORK=$work APP_LOG="$work/live-app.log" APP="$app" python3 tests/bench/live.py
