#!/usr/bin/env bash
# Issue 20's second target on the 1,000,000-record bench database (tests/bench/floodrisk.sh or run.sh makes it): data
# quality is rebuilt with the statistics "without making that rebuild more than 10% slower". Runs the repair command
# (`Hotspots.Web snapshot rebuild`) three times with the refresher's per-part timings and prints each part, the ward
# quality part's share of the rest of the rebuild, and the ward statistics part beside it. Not part of the test run.
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
for i in 1 2 3; do
  # (env: a variable name with dots cannot be set by the shell's own syntax)
  env HOTSPOTS_DB="Host=127.0.0.1;Port=$pgport;Database=bench;Username=postgres;Password=$PG_PASSWORD" HOTSPOTS_SAMPLE_COUNT=1000000 \
    Logging__LogLevel__Default=Warning "Logging__LogLevel__Hotspots.Snapshots.SnapshotRefresher=Debug" Logging__Console__FormatterName=simple \
    dotnet src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll snapshot rebuild > "$root/.bench/quality-rebuild.log" 2>&1
  python3 - "$root/.bench/quality-rebuild.log" "$i" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
parts = {m.group(1): float(m.group(2)) for m in re.finditer(r"Snapshot part (.+?): ([0-9.]+) ms", text)}
total = sum(parts.values())
q = parts.get("ward quality", 0.0)
others = total - q
print(f"run {sys.argv[2]}: " + ", ".join(f"{k} {v / 1000:.2f} s" for k, v in parts.items()))
print(f"TARGET quality-rebuild run {sys.argv[2]}: ward quality {q / 1000:.2f} s = {100 * q / others:.1f}% of the rest of the rebuild ({others / 1000:.2f} s) (target <= 10%); ward statistics alone {parts.get('ward statistics', 0) / 1000:.2f} s")
PY
done
