# Sourced by run.sh and public.sh: 1,000,000 generated records in a cluster of its own (kept in .bench/ so a
# re-run skips generation), two app instances (OURS without a response cache, CACHED with one), MapServer 8
# behind lighttpd + spawn-fcgi over the same rows (see ../shared/bench/README.md), and the wrk/pgbench helpers.
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. .ci/pg.sh
. tests/bench/auth.sh
COUNT=${BENCH_COUNT:-1000000}
DURATION=${BENCH_DURATION:-10s}
work="$root/.bench"
mkdir -p "$work"
chmod 755 "$work"

ensure_postgis
need=()
for c in wrk mapserv lighttpd spawn-fcgi; do command -v "$c" >/dev/null || need+=("$c"); done
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk mapserver-bin cgi-mapserver lighttpd spawn-fcgi >/dev/null
fi

pgport=$(free_port)
start_cluster "$work/pg" "$pgport"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/ms/lighttpd.pid" ] && kill "$(cat "$work/ms/lighttpd.pid")" 2>/dev/null || true
  # spawn-fcgi -F 4 writes the pid of each mapserv it started, one per line: those and no others are stopped.
  # mapserv's FastCGI loop ignores SIGTERM, so what is still there a second later gets SIGKILL (same pids).
  if [ -f "$work/ms/spawn.pid" ]; then
    # (spawn-fcgi ends the file without a newline: `|| [ -n "$p" ]` keeps its last pid, which `read` alone dropped)
    while read -r p || [ -n "$p" ]; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done < "$work/ms/spawn.pid"
    sleep 1
    while read -r p || [ -n "$p" ]; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true; done < "$work/ms/spawn.pid"
  fi
  stop_cluster "$work/pg"
}
trap cleanup EXIT
psql() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1 "$@"; }
psql -tAc "select 1 from pg_database where datname='bench'" | grep -q 1 || psql -qc "create database bench"

dotnet build -c Release src/Hotspots.Web -v q -nologo >/dev/null
appport=$(free_port)
export HOTSPOTS_DB="Host=127.0.0.1;Port=$pgport;Database=bench;Username=postgres;Password=$PG_PASSWORD"
export HOTSPOTS_URLS="http://127.0.0.1:$appport"
export HOTSPOTS_SAMPLE_COUNT=$COUNT
export Logging__LogLevel__Default=Warning
# One wrk client is one address: the public API's per-client limit would measure itself, not the server.
export HOTSPOTS_PUBLIC_RATE_PER_SECOND=1000000 HOTSPOTS_PUBLIC_RATE_BURST=1000000
have=$(psql -d bench -tAc "select count(*) from hotspots where is_sample" 2>/dev/null || echo 0)
if [ "$have" != "$COUNT" ]; then
  echo "bench: generating $COUNT records (once; kept in .bench/)…"
  start=$(date +%s)
  dotnet src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll generate --count "$COUNT"
  echo "bench: generated in $(( $(date +%s) - start )) s"
fi
psql -d bench -qc "VACUUM ANALYZE"

version() { psql -d bench -tAc "select coalesce((select version from ward_stats_state), 0)" 2>/dev/null || echo 0; }
v0=$(version)
started=$(date +%s%N)
# The measured instance has its response cache off, so figures are the queries'; a second instance with
# the cache on measures repeat requests.
HOTSPOTS_RESPONSE_CACHE_MB=0 dotnet src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll > "$work/app.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$appport/health" >/dev/null; do sleep 0.2; done
echo "bench: a later start (migrate, no loading) took $(( ($(date +%s%N) - started) / 1000000 )) ms to answer /health"
# The start-up rebuild of the statistics and tile cells runs in the background: let it finish first.
until [ "$(version)" -gt "$v0" ]; do sleep 0.5; done
echo "bench: background snapshot rebuild done $(( ($(date +%s%N) - started) / 1000000 )) ms after start"
cachedport=$(free_port)
HOTSPOTS_URLS="http://127.0.0.1:$cachedport" HOTSPOTS_RESPONSE_CACHE_MB=256 dotnet src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll > "$work/app-cached.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$cachedport/health" >/dev/null; do sleep 0.2; done
CACHED="http://127.0.0.1:$cachedport"

# MapServer 8, reading the same rows (the urban-order layer) through a view.
psql -d bench -qc "CREATE OR REPLACE VIEW bench_peer AS SELECT id, subtype AS kind, severity, reported_at, geom, geom_web AS geom3857 FROM hotspots WHERE category = 'urban_order'"
# …and the same over the public read model, for the public API's comparison.
psql -d bench -qc "CREATE OR REPLACE VIEW bench_peer_public AS SELECT id, subtype AS kind, severity, reported_at, geom, geom_web AS geom3857 FROM public_hotspots WHERE category = 'urban_order'"
ms="$work/ms"
mkdir -p "$ms/www"
for f in mapserver-peer.map mapserver.conf lighttpd-peer.conf; do
  sed -e "s#@DIR@#$ms#g" -e "s#@PGPORT@#$pgport#g" -e "s#@DB@#bench#g" -e "s#@TABLE@#bench_peer#g" "../shared/bench/$f.in" > "$ms/$f"
done
mv "$ms/mapserver-peer.map" "$ms/hanoi.map"
sed -e "s#@DIR@#$ms#g" -e "s#@PGPORT@#$pgport#g" -e "s#@DB@#bench#g" -e "s#@TABLE@#bench_peer_public#g" "../shared/bench/mapserver-peer.map.in" > "$ms/hanoi-public.map"
msport=$(free_port); fcgiport=$(free_port)
sed -i -e "s#server.port = 8081#server.port = $msport#" -e "s#\"port\" => 9000#\"port\" => $fcgiport#" "$ms/lighttpd-peer.conf"
export MAPSERVER_CONFIG_FILE="$ms/mapserver.conf"
spawn-fcgi -a 127.0.0.1 -p "$fcgiport" -F 4 -P "$ms/spawn.pid" -- /usr/bin/mapserv >/dev/null
lighttpd -f "$ms/lighttpd-peer.conf"
MS="http://127.0.0.1:$msport/ms?map=$ms/hanoi.map"
OURS="http://127.0.0.1:$appport"
BENCH_TOKEN=$(bench_token "$OURS")
export BENCH_TOKEN
acurl() { curl -H "Authorization: Bearer $BENCH_TOKEN" "$@"; }
curl -sf -o /dev/null "$MS&mode=tile&tilemode=gmap&tile=13008+7212+14&layers=points&map.imagetype=mvt" || { echo "bench: MapServer does not answer" >&2; exit 1; }

# wrk over a list of paths, round-robin.
paths_lua() { # file, then paths on stdin
  { echo "local paths = {"; sed 's/.*/  "&",/'; echo "}"; cat <<'LUA'
local i = 0
local token = os.getenv("BENCH_TOKEN") or ""
-- The internal API needs a signed-in caller (a department system's bearer token); the public API and MapServer do not.
local function internal(p) return p:sub(1, 7) == "/tiles/" or (p:sub(1, 5) == "/api/" and p:sub(1, 12) ~= "/api/public/") end
request = function()
  i = i % #paths + 1
  if token ~= "" and internal(paths[i]) then
    return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. token })
  end
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("P95 %.3f\n", latency:percentile(95) / 1000))
end
LUA
  } > "$1"
}
run_wrk() { # base url, lua file -> "rps p99ms errors"
  wrk -t2 -c8 -d"$DURATION" --latency -s "$2" "$1" 2>&1 | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    /Non-2xx/ {err+=$NF} /Socket errors/ {err+=1} /^P95/ {p95=$2}
    END {printf "%s %s %d %s\n", rps, p99, err, p95}'
}
run_pgbench() { # sql file -> rps
  runuser -u postgres -- "$PG_BIN/pgbench" -h 127.0.0.1 -p "$pgport" -U postgres -n -c 8 -j 2 -T "${DURATION%s}" -M prepared -f "$1" bench 2>&1 \
    | awk '/tps = / {print $3; exit}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
report() { # scenario ours_rps peer_rps p99 errors [p95]
  echo "RATIO $1 $(ratio "$2" "$3") (ours $2 req/s, peer $3 req/s, p99 $4 ms${6:+, p95 $6 ms}, errors $5)"
}
ab() { # scenario ours_lua peer_base peer_lua  -> A B A B with wrk on both
  local a1 b1 a2 b2
  a1=$(run_wrk "$OURS" "$2"); b1=$(run_wrk "$3" "$4"); a2=$(run_wrk "$OURS" "$2"); b2=$(run_wrk "$3" "$4")
  report "$1" "$(avg "$a1" "$a2" 1)" "$(avg "$b1" "$b2" 1)" "$(max "$a1" "$a2" 2)" "$(( $(echo "$a1" | cut -d' ' -f3) + $(echo "$a2" | cut -d' ' -f3) ))" "$(max "$a1" "$a2" 4)"
}
avg() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", (x[f] + y[f]) / 2 }'; }
max() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.1f", (x[f] > y[f] ? x[f] : y[f]) }'; }

tiles() { # z x0 x1 y0 y1 template-with-{z}{x}{y}
  for x in $(seq "$2" "$3"); do for y in $(seq "$4" "$5"); do echo "$6" | sed "s/{z}/$1/g; s/{x}/$x/g; s/{y}/$y/g"; done; done
}
tile_sql() { # z x-range y-range -> pgbench script running the endpoint's own SQL (printed by the app)
  {
    echo "\\set x random($2, $3)"
    echo "\\set y random($4, $5)"
    dotnet src/Hotspots.Web/bin/Release/net10.0/Hotspots.Web.dll tile-sql urban-order "$1" | tr '\n' ' '
    echo
  } > "$work/tile-z$1.pgbench"
}


tile_range() { # z -> "x0 x1 y0 y1": the same central-Hanoi tiles for every peer (../shared/bench/README.md)
  case $1 in
    14) echo 13000 13016 7204 7220 ;;
    12) echo 3250 3254 1801 1805 ;;
    16) echo 52029 52045 28842 28858 ;;
  esac
}
