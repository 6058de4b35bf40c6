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

# start_cluster DIR PORT — initialise DIR on first use, start the server on 127.0.0.1:PORT. Over TCP every role signs in
# with a password (scram-sha-256), so no local user reaches the data by knowing the port; on the cluster's own
# socket only the postgres OS user, as postgres (peer). The superuser's password is made once and kept in
# DIR.password (this user only); PG_PASSWORD and PGPASSWORD hold it for the caller's connection strings and psql.
start_cluster() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  if [ ! -s "$dir.password" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$dir.password")
  fi
  PG_PASSWORD=$(cat "$dir.password")
  export PG_PASSWORD PGPASSWORD=$PG_PASSWORD
  if [ ! -f "$dir/PG_VERSION" ]; then
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir" -U postgres -A peer -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # Written at every start, so a cluster made before this rule (trust for everyone) gets it too.
  runuser -u postgres -- sh -c "cat > '$dir/pg_hba.conf'" <<'HBA'
local   all  postgres                 peer
local   all  all                      scram-sha-256
host    all  all       127.0.0.1/32   scram-sha-256
host    all  all       ::1/128        scram-sha-256
HBA
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c password_encryption=scram-sha-256 -c max_connections=${PG_MAX_CONNECTIONS:-300} -c max_parallel_workers_per_gather=0 -c max_wal_size=4GB -c shared_buffers=512MB -c work_mem=32MB -c fsync=${PG_FSYNC:-on}" start >/dev/null
  printf "ALTER ROLE postgres PASSWORD '%s'" "$PG_PASSWORD" | runuser -u postgres -- "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -qX -d postgres >/dev/null
}

# pg_super DIR PORT ARGS… — psql as the superuser on the cluster's socket (no password needed there).
pg_super() {
  local dir=$1 port=$2
  shift 2
  runuser -u postgres -- "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qX "$@"
}

stop_cluster() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
}
