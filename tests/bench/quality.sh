#!/usr/bin/env bash
# Issue 20's second target on the 1,000,000-record bench database (tests/bench/floodrisk.sh or run.sh makes it): data
# quality is rebuilt with the statistics "without making that rebuild more than 10% slower". Times the product's own
# full rebuild with every part and without the ward quality part, alternating (ROUNDS, default 3), and prints the ratio
# of the medians. Not part of the test run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. .ci/pg.sh
ensure_postgis
dotnet build -c Release src/Hotspots.Web -v q -nologo >/dev/null
pgport=$(free_port)
start_cluster "$root/.bench/pg" "$pgport"
trap 'stop_cluster "$root/.bench/pg"' EXIT
runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d bench -qc "VACUUM ANALYZE" >/dev/null
echo "bench: $(runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d bench -tAc "select count(*) from hotspots") hotspots"
# The product's refresher with every part and without ward quality, alternating (Hotspots.Bench rebuild-cost).
dotnet build -c Release tests/bench/Hotspots.Bench -v q -nologo >/dev/null
dotnet tests/bench/Hotspots.Bench/bin/Release/net10.0/Hotspots.Bench.dll rebuild-cost \
  "Host=127.0.0.1;Port=$pgport;Database=bench;Username=postgres;Password=$PG_PASSWORD" "${ROUNDS:-3}"
