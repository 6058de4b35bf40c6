# Sourced by the bench scripts that measure the service alone on the 1,000,000-record bench database
# (tests/bench/run.sh makes it in .bench/): start_bench_service LOG [VAR=value …] builds the service, starts the
# bench cluster and the service (stopped again on exit), waits for its start-up snapshot rebuild and sets
# $base, $token, $app (the service's pid), $pgport and $rows.
. "$root/.ci/pg.sh"
. "$root/tests/bench/auth.sh"

bench_psql() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d bench -tAc "$1"; }

start_bench_service() {
  local log=$1; shift
  ensure_postgis
  dotnet build -c Release "$root/src/Hotspots.Web" -v q -nologo >/dev/null
  pgport=$(free_port)
  start_cluster "$root/.bench/pg" "$pgport"
  app=""
  trap '[ -n "$app" ] && kill $app 2>/dev/null; stop_cluster "$root/.bench/pg"' EXIT
  local appport
  appport=$(free_port)
  env HOTSPOTS_DB="Host=127.0.0.1;Port=$pgport;Database=bench;Username=postgres;Password=$PG_PASSWORD" HOTSPOTS_URLS="http://127.0.0.1:$appport" \
    HOTSPOTS_SAMPLE_COUNT=1000000 Logging__LogLevel__Default=Warning "$@" \
    dotnet "$root/src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll" > "$root/.bench/$log" 2>&1 &
  app=$!
  base="http://127.0.0.1:$appport"
  until curl -sf "$base/health" >/dev/null; do sleep 0.3; done
  token=$(bench_token "$base")
  # The snapshot must be there and hold every change logged (a start-up rebuild or batch runs first when not).
  until [ "$(bench_psql "select exists (select 1 from ward_stats_state) and not exists (select 1 from snapshot_changes)")" = t ]; do sleep 1; done
  rows=$(bench_psql "select count(*) from hotspots")
}
