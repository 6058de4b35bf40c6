#!/usr/bin/env bash
# The map API benchmark (not part of the test run): tiles, GeoJSON and statistics with wrk -t2 -c8 against
# pgbench running the same SQL (the database's own limit) and MapServer 8 (common.sh sets them up).
# Prints one line per scenario:  RATIO <scenario> <ours/peer> (ours <req/s>, peer <req/s>, p99 <ms>)
set -euo pipefail
. "$(dirname "$0")/common.sh"

echo "bench: $(psql -d bench -tAc "select count(*) from hotspots") hotspots; wrk -t2 -c8 -d$DURATION; A B A B"

# z14 and z12 tiles (central Hanoi; cells below z15), and z16 (individual features, like for like with
# MapServer), against MapServer and against pgbench running the same SQL.
for z in 14 12 16; do
  read -ra r <<< "$(tile_range $z)"
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
n=$(acurl -s "$OURS/api/features/urban-order?bbox=$bbox&limit=5000" | python3 -c 'import json,sys; print(json.load(sys.stdin)["numberReturned"])')
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
echo "bench: all wards' stats, single request: $(acurl -s -o /dev/null -w '%{time_total}' "$OURS/api/stats/wards?period=30d") s (cold period), $(acurl -s -o /dev/null -w '%{time_total}' "$OURS/api/stats/wards?period=30d") s (warm)"
echo "bench: choropleth payload gzipped: $(acurl -s -H 'Accept-Encoding: gzip' "$OURS/api/stats/wards" | wc -c) bytes"

# Tile sizes over the whole city and z10 cold latency.
python3 - "$OURS" <<'PY'
import math, os, sys, time, urllib.request
base = sys.argv[1]
def get(url):  # the internal tiles need the bench's bearer token
    return urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer " + os.environ["BENCH_TOKEN"]})).read()
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
                body = get(f"{base}/tiles/{layer}/{z}/{x}/{y}.mvt")
                dt = time.perf_counter() - t; count += 1
                if len(body) > biggest[0]: biggest = (len(body), f"{layer} {z}/{x}/{y}")
                if z == 10: slowest10 = max(slowest10, dt)
# The densest area at the individual-feature zooms.
for layer in ["urban-order", "congestion", "food-safety"]:
    for z in (16, 17):
        cx, cy = tile(105.8524, 21.0288, z)
        for x in range(cx - 3, cx + 4):
            for y in range(cy - 3, cy + 4):
                body = get(f"{base}/tiles/{layer}/{z}/{x}/{y}.mvt"); count += 1
                if len(body) > biggest[0]: biggest = (len(body), f"{layer} {z}/{x}/{y}")
print(f"bench: {count} tiles checked; largest {biggest[0] / 1024:.0f} KB ({biggest[1]}); slowest z10 (first request) {slowest10 * 1000:.0f} ms")
PY
