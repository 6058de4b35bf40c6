#!/usr/bin/env bash
# The outreach and report benchmark (not part of the test run), on the 1,000,000-record bench database
# (tests/bench/run.sh makes it in .bench/): the ranking of all 126 wards with its breakdown through
# /api/outreach (fresh weights on every request, so nothing is answered from a cache), one ward's quarterly
# report as XLSX and PDF, and the city's. Targets (issue 7): ranking ≤ 100 ms, one ward's XLSX ≤ 2 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/bench/service.sh
start_bench_service outreach-app.log "Logging__LogLevel__Hotspots.Snapshots=Information"
echo "bench: $rows hotspots; $(grep -o 'rebuilt (version [0-9]*) in [0-9]* ms' "$root/.bench/outreach-app.log" | tail -1)"

# time_ms URL: one request's total time in ms (the body is read and dropped).
time_ms() { curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$1" | awk '{ printf "%.1f\n", $1 * 1000 }'; }
stats() { sort -n | awk -v target="$1" -v what="$2" '{ v[NR] = $1 } END {
  m = v[int((NR + 1) / 2)]; p95 = v[int(NR * 0.95 + 0.5)]
  printf "%s: median %.1f ms, p95 %.1f ms, max %.1f ms over %d requests (target %d ms: median is %.2f× the target)\n", what, m, p95, v[NR], NR, target, m / target }'; }

curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/api/outreach" # the factor rows into memory once per data version
for i in $(seq 1 200); do
  time_ms "$base/api/outreach?weights=open_weighted:$((RANDOM % 50 + 1)),overdue:$((RANDOM % 30)),open_per_km2:$((RANDOM % 20)),reports:$((RANDOM % 20)),unanswered_share:$((RANDOM % 20)),food_fail_rate:$((RANDOM % 20)),recurrence:$((RANDOM % 10)),clearance_todo:$((RANDOM % 10)),households:5,active_works:5"
done | stats 100 "RANKING all 126 wards with breakdown"
for i in $(seq 1 100); do
  time_ms "$base/api/outreach?layers=flooding,food-safety&top=10&weights=open_weighted:$((RANDOM % 50 + 1)),food_fail_rate:$((RANDOM % 30 + 1))"
done | stats 100 "RANKING top 10 for flooding + food safety"

quarter=$(python3 -c "import datetime as d; t=d.datetime.utcnow()+d.timedelta(hours=7); q=(t.month-1)//3; print(f'{t.year}-Q{q}' if q else f'{t.year-1}-Q4')")
wards=$(bench_psql "select ward_code from hotspots group by 1 order by count(*) desc limit 5")
for w in $wards; do for i in 1 2; do time_ms "$base/api/reports/quarterly/$w.xlsx?quarter=$quarter"; done; done | stats 2000 "REPORT one ward's quarterly XLSX ($quarter, the 5 busiest wards)"
for w in $wards; do time_ms "$base/api/reports/quarterly/$w.pdf?quarter=$quarter"; done | stats 2000 "REPORT one ward's quarterly PDF (headless Chromium)"
for i in 1 2 3; do time_ms "$base/api/reports/quarterly/all.xlsx?quarter=$quarter"; done | stats 2000 "REPORT the city's quarterly XLSX (126 wards)"
for w in $wards; do time_ms "$base/api/print/ward/$w.pdf?size=A3"; done | stats 2000 "POSTER one ward's A3 PDF"
echo "service peak RSS $(awk '/VmHWM/ {print int($2/1024)}' /proc/$app/status) MB"
