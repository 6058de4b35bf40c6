#!/usr/bin/env bash
# The daily alert digest (issue 18) for the leads of all 126 wards on the 1,000,000-record bench database
# (tests/bench/run.sh makes it in .bench/): `Hotspots.Web alerts digest DAY` builds every lead's message from one
# collection of what changed, claims each by its key and hands it to the mail sender. No mail server is configured
# here, so a send fails at once and the message waits for its retry: the figure is building and claiming, which is
# what grows with the records. Two days: the day the million records were loaded (every record is new: the worst
# case, each message lists 30 and counts the rest) and the day after (level crossings only). Target: ≤ 10 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/bench/service.sh
start_bench_service alerts-app.log
trap '[ -n "$app" ] && kill $app 2>/dev/null; bench_psql "DELETE FROM alert_deliveries WHERE period LIKE '"'"'daily:%'"'"'" >/dev/null || true; stop_cluster "$root/.bench/pg"' EXIT
# One lead per current ward (no password: they never sign in here).
bench_psql "
  INSERT INTO users (email, display_name, role, password_hash)
  SELECT 'lead-' || code || '@bench.local', 'Cán bộ ' || name, 'ward_lead', 'bench-no-sign-in' FROM current_wards
  ON CONFLICT DO NOTHING;
  INSERT INTO user_wards (user_id, ward_code)
  SELECT u.id, substr(u.email, 6, 5) FROM users u WHERE u.email LIKE 'lead-%@bench.local' ON CONFLICT DO NOTHING;" >/dev/null
leads=$(bench_psql "SELECT count(*) FROM users WHERE email LIKE 'lead-%@bench.local'")
loaded=$(bench_psql "SELECT ((max(created_at) AT TIME ZONE 'Asia/Ho_Chi_Minh') + interval '17 hours')::date FROM hotspots")
quiet=$(date -d "$loaded + 1 day" +%F) # the day after: only level crossings and a few changes
echo "bench: $rows hotspots, $leads ward leads; the records were loaded for the digest of $loaded"
dll="$root/src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll"
for day in "$loaded" "$quiet"; do
  bench_psql "DELETE FROM alert_deliveries WHERE period = 'daily:$day'" >/dev/null
  out=$(env HOTSPOTS_DB="Host=127.0.0.1;Port=$pgport;Database=bench;Username=postgres;Password=$PG_PASSWORD" HOTSPOTS_SAMPLE_COUNT=1000000 \
    Logging__LogLevel__Default=Warning "Logging__LogLevel__Hotspots.Alerts.AlertDelivery=None" dotnet "$dll" alerts digest "$day" | tail -1)
  secs=$(echo "$out" | sed -E 's/.* in ([0-9.]+) s/\1/')
  echo "TARGET alerts-digest-126-leads day $day: $out (target <= 10 s; ratio $(awk -v s="$secs" 'BEGIN { printf "%.2f", s / 10 }'))"
done
