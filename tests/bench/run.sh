#!/usr/bin/env bash
# The map API benchmark (not part of the test run): 1,000,000 generated records in a cluster of its own
# (kept in .bench/ so a re-run skips generation), measured with wrk -t2 -c8 against pgbench running the same
# SQL (the database's own limit) and MapServer 8 behind lighttpd + spawn-fcgi (see ../shared/bench/README.md).
# Prints one line per scenario:  RATIO <scenario> <ours/peer> (ours <req/s>, peer <req/s>, p99 <ms>)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. .ci/pg.sh
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
  [ -f "$work/ms/spawn.pid" ] && kill "$(cat "$work/ms/spawn.pid")" 2>/dev/null || true
  pkill -f "^/usr/bin/mapserv" 2>/dev/null || true
  stop_cluster "$work/pg"
}
trap cleanup EXIT
psql() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1 "$@"; }
psql -tAc "select 1 from pg_database where datname='bench'" | grep -q 1 || psql -qc "create database bench"

dotnet build -c Release src/Hotspots.Web -v q -nologo >/dev/null
appport=$(free_port)
export HOTSPOTS_DB="Host=127.0.0.1;Port=$pgport;Database=bench;Username=postgres"
export HOTSPOTS_URLS="http://127.0.0.1:$appport"
export HOTSPOTS_SAMPLE_COUNT=$COUNT
export Logging__LogLevel__Default=Warning
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
ms="$work/ms"
mkdir -p "$ms/www"
for f in mapserver-peer.map mapserver.conf lighttpd-peer.conf; do
  sed -e "s#@DIR@#$ms#g" -e "s#@PGPORT@#$pgport#g" -e "s#@DB@#bench#g" -e "s#@TABLE@#bench_peer#g" "../shared/bench/$f.in" > "$ms/$f"
done
mv "$ms/mapserver-peer.map" "$ms/hanoi.map"
msport=$(free_port); fcgiport=$(free_port)
sed -i -e "s#server.port = 8081#server.port = $msport#" -e "s#\"port\" => 9000#\"port\" => $fcgiport#" "$ms/lighttpd-peer.conf"
export MAPSERVER_CONFIG_FILE="$ms/mapserver.conf"
spawn-fcgi -a 127.0.0.1 -p "$fcgiport" -F 4 -P "$ms/spawn.pid" -- /usr/bin/mapserv >/dev/null
lighttpd -f "$ms/lighttpd-peer.conf"
MS="http://127.0.0.1:$msport/ms?map=$ms/hanoi.map"
OURS="http://127.0.0.1:$appport"
curl -sf -o /dev/null "$MS&mode=tile&tilemode=gmap&tile=13008+7212+14&layers=points&map.imagetype=mvt" || { echo "bench: MapServer does not answer" >&2; exit 1; }

# wrk over a list of paths, round-robin.
paths_lua() { # file, then paths on stdin
  { echo "local paths = {"; sed 's/.*/  "&",/'; echo "}"; cat <<'LUA'
local i = 0
request = function()
  i = i % #paths + 1
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

echo "bench: $(psql -d bench -tAc "select count(*) from hotspots") hotspots; wrk -t2 -c8 -d$DURATION; A B A B"

# z14 and z12 tiles (central Hanoi; cells below z15), and z16 (individual features, like for like with
# MapServer), against MapServer and against pgbench running the same SQL.
for z in 14 12 16; do
  case $z in
    14) r=(13000 13016 7204 7220) ;;
    12) r=(3250 3254 1801 1805) ;;
    16) r=(52029 52045 28842 28858) ;;
  esac
  tiles $z "${r[@]}" "/tiles/urban-order/{z}/{x}/{y}.mvt" | paths_lua "$work/ours-z$z.lua"
  tiles $z "${r[@]}" "/ms?map=$ms/hanoi.map&mode=tile&tilemode=gmap&tile={x}+{y}+{z}&layers=points&map.imagetype=mvt" | paths_lua "$work/ms-z$z.lua"
  ab "tile-z$z-vs-mapserver" "$work/ours-z$z.lua" "http://127.0.0.1:$msport" "$work/ms-z$z.lua"
  tile_sql $z "${r[@]}"
  o=$(run_wrk "$OURS" "$work/ours-z$z.lua"); p=$(run_pgbench "$work/tile-z$z.pgbench")
  report "tile-z$z-vs-pgbench" "$(echo "$o" | cut -d' ' -f1)" "$p" "$(echo "$o" | cut -d' ' -f2)" "$(echo "$o" | cut -d' ' -f3)" "$(echo "$o" | cut -d' ' -f4)"
done

# Repeat requests (what a map does as people pan back and forth), served from the tile cache.
for z in 14 12; do
  run_wrk "$CACHED" "$work/ours-z$z.lua" >/dev/null # warm
  o=$(run_wrk "$CACHED" "$work/ours-z$z.lua"); p=$(run_wrk "http://127.0.0.1:$msport" "$work/ms-z$z.lua")
  report "tile-z$z-cached-vs-mapserver" "$(echo "$o" | cut -d' ' -f1)" "$(echo "$p" | cut -d' ' -f1)" "$(echo "$o" | cut -d' ' -f2)" "$(echo "$o" | cut -d' ' -f3)" "$(echo "$o" | cut -d' ' -f4)"
done

# bbox GeoJSON with about 1,000 features, against MapServer WFS GeoJSON.
bbox=$(psql -d bench -tAc "
  SELECT format('%s,%s,%s,%s', 105.8524 - d, 21.0288 - d, 105.8524 + d, 21.0288 + d) FROM generate_series(0.001, 0.05, 0.0005) d
  WHERE (SELECT count(*) FROM hotspots WHERE category = 'urban_order' AND geom && ST_MakeEnvelope(105.8524 - d, 21.0288 - d, 105.8524 + d, 21.0288 + d, 4326)) >= 1000
  ORDER BY d LIMIT 1")
IFS=, read -r x1 y1 x2 y2 <<< "$bbox"
n=$(curl -s "$OURS/api/features/urban-order?bbox=$bbox&limit=5000" | python3 -c 'import json,sys; print(json.load(sys.stdin)["numberReturned"])')
echo "/api/features/urban-order?bbox=$bbox&limit=5000" | paths_lua "$work/ours-bbox.lua"
echo "/ms?map=$ms/hanoi.map&SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=points4326&OUTPUTFORMAT=geojson&BBOX=$y1,$x1,$y2,$x2,urn:ogc:def:crs:EPSG::4326" | paths_lua "$work/ms-bbox.lua"
echo "bench: bbox $bbox holds $n urban-order features"
ab "bbox-geojson-vs-mapserver-wfs" "$work/ours-bbox.lua" "http://127.0.0.1:$msport" "$work/ms-bbox.lua"
run_wrk "$CACHED" "$work/ours-bbox.lua" >/dev/null # warm
o=$(run_wrk "$CACHED" "$work/ours-bbox.lua"); p=$(run_wrk "http://127.0.0.1:$msport" "$work/ms-bbox.lua")
report "bbox-geojson-cached-vs-mapserver-wfs" "$(echo "$o" | cut -d' ' -f1)" "$(echo "$p" | cut -d' ' -f1)" "$(echo "$o" | cut -d' ' -f2)" "$(echo "$o" | cut -d' ' -f3)" "$(echo "$o" | cut -d' ' -f4)"

# Ward statistics, against pgbench reading the same snapshot rows.
echo "/api/wards/00004/stats" | paths_lua "$work/ours-ward.lua"
echo "SELECT * FROM ward_stats WHERE ward_code = '00004';" > "$work/ward.pgbench"
o=$(run_wrk "$OURS" "$work/ours-ward.lua"); p=$(run_pgbench "$work/ward.pgbench")
report "stats-one-ward-vs-pgbench" "$(echo "$o" | cut -d' ' -f1)" "$p" "$(echo "$o" | cut -d' ' -f2)" "$(echo "$o" | cut -d' ' -f3)" "$(echo "$o" | cut -d' ' -f4)"
echo "/api/stats/wards" | paths_lua "$work/ours-all.lua"
echo "SELECT * FROM ward_stats JOIN current_wards w ON w.code = ward_code;" > "$work/all.pgbench"
o=$(run_wrk "$OURS" "$work/ours-all.lua"); p=$(run_pgbench "$work/all.pgbench")
report "stats-all-wards-vs-pgbench" "$(echo "$o" | cut -d' ' -f1)" "$p" "$(echo "$o" | cut -d' ' -f2)" "$(echo "$o" | cut -d' ' -f3)" "$(echo "$o" | cut -d' ' -f4)"
echo "bench: all wards' stats, single request: $(curl -s -o /dev/null -w '%{time_total}' "$OURS/api/stats/wards?period=30d") s (cold period), $(curl -s -o /dev/null -w '%{time_total}' "$OURS/api/stats/wards?period=30d") s (warm)"
echo "bench: choropleth payload gzipped: $(curl -s -H 'Accept-Encoding: gzip' "$OURS/api/stats/wards" | wc -c) bytes"

# Tile sizes over the whole city and z10 cold latency.
python3 - "$OURS" <<'PY'
import math, sys, time, urllib.request
base = sys.argv[1]
def tile(lon, lat, z):
    n = 2 ** z; r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
biggest = (0, ""); slowest10 = 0.0; count = 0
for layer in ["urban-order", "congestion", "food-safety", "flooding", "environment", "projects"]:
    for z in range(6, 16):
        x0, y0 = tile(105.28, 21.40, z); x1, y1 = tile(106.02, 20.56, z)
        step = 1 if z < 14 else 3 if z == 14 else 6
        for x in range(x0, x1 + 1, step):
            for y in range(y0, y1 + 1, step):
                t = time.perf_counter()
                body = urllib.request.urlopen(f"{base}/tiles/{layer}/{z}/{x}/{y}.mvt").read()
                dt = time.perf_counter() - t; count += 1
                if len(body) > biggest[0]: biggest = (len(body), f"{layer} {z}/{x}/{y}")
                if z == 10: slowest10 = max(slowest10, dt)
# The densest area at the individual-feature zooms.
for layer in ["urban-order", "congestion", "food-safety"]:
    for z in (16, 17):
        cx, cy = tile(105.8524, 21.0288, z)
        for x in range(cx - 3, cx + 4):
            for y in range(cy - 3, cy + 4):
                body = urllib.request.urlopen(f"{base}/tiles/{layer}/{z}/{x}/{y}.mvt").read(); count += 1
                if len(body) > biggest[0]: biggest = (len(body), f"{layer} {z}/{x}/{y}")
print(f"bench: {count} tiles checked; largest {biggest[0] / 1024:.0f} KB ({biggest[1]}); slowest z10 (first request) {slowest10 * 1000:.0f} ms")
PY
