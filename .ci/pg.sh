# Shared by .ci/up, .ci/test and the benchmarks (tests/bench/): a local PostgreSQL 15 + PostGIS 3 cluster owned by the
# checkout. Sourced, not run.
PG_BIN=/usr/lib/postgresql/15/bin

ensure_postgis() {
  if [ ! -f /usr/share/postgresql/15/extension/postgis.control ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "hotspots: installing PostgreSQL 15 + PostGIS 3 from Debian…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null
  fi
}

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# start_cluster DIR PORT — initialise DIR on first use, start the server on 127.0.0.1:PORT.
start_cluster() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_parallel_workers_per_gather=0 -c max_wal_size=4GB -c shared_buffers=512MB -c work_mem=32MB -c fsync=${PG_FSYNC:-on}" start >/dev/null
}

stop_cluster() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
}
