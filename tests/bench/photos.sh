#!/usr/bin/env bash
# Photos on records (issue 18): a phone-sized photo (4000 × 3000, ~5 MB JPEG, tests/bench/Hotspots.Bench photo)
# sent to POST /api/hotspots/{id}/attachments on the 1,000,000-record bench database, one at a time as a ward lead's
# phone does: read, checked by content, decoded, turned upright, encoded again without EXIF, its thumbnail made and
# both stored in PostgreSQL. Each send is a different file (bytes after the image's end) to a different record, so
# none is taken as a repeat. Prints p50/p95 of the whole request. Target: ≤ 1 s. The photos are removed afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/bench/service.sh
SENDS=${SENDS:-20}
start_bench_service photos-app.log
work=$(mktemp -d)
trap '[ -n "$app" ] && kill $app 2>/dev/null; bench_psql "DELETE FROM attachments WHERE uploaded_by LIKE '"'"'bench%'"'"'" >/dev/null || true; stop_cluster "$root/.bench/pg"; rm -rf "$work"' EXIT
dotnet build -c Release tests/bench/Hotspots.Bench -v q -nologo >/dev/null
dotnet tests/bench/Hotspots.Bench/bin/Release/net10.0/Hotspots.Bench.dll photo "$work/photo.jpg"
echo "bench: $rows hotspots; photo $(stat -c %s "$work/photo.jpg") bytes"
ids=$(bench_psql "SELECT id FROM hotspots ORDER BY id DESC LIMIT $((SENDS + 3))")
times=()
i=0
for id in $ids; do
  i=$((i + 1))
  cp "$work/photo.jpg" "$work/send.jpg"; printf 'bench-%s' "$i" >> "$work/send.jpg" # a different file each time
  t=$(curl -s -o "$work/answer.json" -w '%{time_total}' -H "Authorization: Bearer $token" -F "file=@$work/send.jpg;filename=hien-truong.jpg" \
    "$base/api/hotspots/$id/attachments")
  python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert len(a["added"]) == 1, a' "$work/answer.json"
  # the first three warm the service (JIT, Skia's first use); they are not counted
  [ "$i" -gt 3 ] && times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="${#times[@]}" '{a[NR]=$1} END {
  p50 = a[int(n * 0.50 + 0.5)]; p95 = a[int(n * 0.95 + 0.5)]
  printf "TARGET photo-5MB-stored-with-thumbnail p50 %.0f ms, p95 %.0f ms over %d sends (target <= 1000 ms; ratio p95/target %.2f)\n", p50 * 1000, p95 * 1000, n, p95 }'
stored=$(bench_psql "SELECT round(avg(size_bytes)), round(avg(length(thumbnail))), max(width), max(height) FROM attachments WHERE uploaded_by LIKE 'bench%'")
echo "bench: stored copy / thumbnail bytes, width, height: $stored"
