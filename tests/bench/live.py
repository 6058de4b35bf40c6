"""Issue 22's measurements against a running service (driven by live.sh, which starts it). Standard library only."""
import json, os, re, statistics, subprocess, threading, time, urllib.request

BASE, TOKEN, PGPORT, WORK, LOG = os.environ["BASE"], os.environ["TOKEN"], os.environ["PGPORT"], os.environ["WORK"], os.environ["APP_LOG"]


def sql(query):
    out = subprocess.run(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/psql", "-h", "127.0.0.1", "-p", PGPORT,
                          "-U", "postgres", "-d", "bench", "-tAc", query], check=True, capture_output=True, text=True).stdout
    return out.strip()


def http(method, path, body=None, headers=None, auth=True):
    h = dict(headers or {})
    if auth:
        h["Authorization"] = "Bearer " + TOKEN
    req = urllib.request.Request(BASE + path, data=body, method=method, headers=h)
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.read()


def public_status(hid):
    fc = json.loads(http("GET", f"/api/public/features/congestion?status=all&ids={hid}", auth=False))
    return fc["features"][0]["properties"]["status"] if fc["features"] else None


def version():
    return json.loads(http("GET", "/api/public/version", auth=False))["version"]


def edit_to_map(hid, status):
    http("PATCH", f"/api/hotspots/{hid}", json.dumps({"status": status}).encode(), {"content-type": "application/json"})
    started = time.monotonic()
    while public_status(hid) != status:
        if time.monotonic() - started > 120:
            raise SystemExit(f"edit of {hid} not on the map after 120 s")
        time.sleep(0.02)
    return time.monotonic() - started


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def batch_lines(since):
    """The refresher's log lines written after byte offset `since`: (records, ms) per batch."""
    with open(LOG, encoding="utf-8", errors="replace") as f:
        f.seek(since)
        text = f.read()
    return [(int(m.group(1)), float(m.group(2))) for m in re.finditer(r"Snapshot version \d+: (\d+) changed records applied in ([\d.]+) ms", text)]


def ratio(name, ours, target, unit, detail=""):
    digits = 3 if unit == "s" else 1
    print(f"RATIO {name} {ours / target:.2f} (ours {ours:.{digits}f} {unit} / target {target:.{digits}f} {unit}{detail})", flush=True)


ids = [int(x) for x in sql("SELECT id FROM hotspots WHERE category = 'congestion' AND status = 'reported' AND ward_code IS NOT NULL "
                           "ORDER BY id DESC LIMIT 200").split()]
print(f"live: {sql('SELECT count(*) FROM hotspots')} records; version {sql('SELECT version FROM ward_stats_state')}", flush=True)

# 1. One edit at a time.
offset = os.path.getsize(LOG)
idle = []
for hid in ids[:30]:
    idle.append(edit_to_map(hid, "verified"))
    time.sleep(1.0)
ones = [ms for n, ms in batch_lines(offset) if n <= 2]
print(f"live: idle edit → public map p50 {statistics.median(idle):.3f} s, p95 {pct(idle, 95):.3f} s, max {max(idle):.3f} s (30 edits)")
ratio("edit_to_public_map_p95", pct(idle, 95), 2.0, "s")
if ones:
    print(f"live: refresher time per one-edit batch p50 {statistics.median(ones):.1f} ms, p95 {pct(ones, 95):.1f} ms ({len(ones)} batches)")
    ratio("refresher_ms_per_edit_p50", statistics.median(ones), 50, "ms")

# 2. 100 edits per second for a minute, straight into the table.
script = os.path.join(WORK, "live-edits.pgbench")
with open(script, "w") as f:
    f.write("\\set id random(1, 1000000)\nUPDATE hotspots SET severity = 1 + severity % 5 WHERE id = :id;\n")
load = subprocess.Popen(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pgbench", "-h", "127.0.0.1", "-p", PGPORT, "-U", "postgres",
                         "-n", "-c", "4", "-j", "2", "-R", "100", "-T", "60", "-f", script, "bench"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
offset = os.path.getsize(LOG)
started = time.monotonic()
loaded = []
for hid in ids[30:]:
    if time.monotonic() - started > 58:
        break
    loaded.append((time.monotonic() - started, edit_to_map(hid, "verified")))
    time.sleep(1.0)
out = load.communicate()[0]
tps = re.search(r"tps = ([\d.]+)", out)
first = [t for at, t in loaded if at < 29]
second = [t for at, t in loaded if at >= 29]
batches = batch_lines(offset)
print(f"live: under {tps.group(1) if tps else '?'} edits/s for 60 s: edit → map p95 {pct(first, 95):.3f} s in the first half, "
      f"{pct(second, 95):.3f} s in the second (max {max(t for _, t in loaded):.3f} s); {len(batches)} batches, "
      f"p50 {statistics.median([ms for _, ms in batches]):.0f} ms, p95 {pct([ms for _, ms in batches], 95):.0f} ms, "
      f"p50 {statistics.median([n for n, _ in batches]):.0f} records each")
ratio("edit_to_map_p95_under_100_edits_per_s", pct([t for _, t in loaded], 95), 2.0, "s")
ratio("lag_second_half_vs_first", pct(second, 95), pct(first, 95), "s", " of the first half: ≤ 1 is not growing")


# 3 and 5. An import of a new source: from "succeeded" to every record on the public map.
def import_to_map(path, n, label, target):
    source = f"bench-live-{label}-{int(time.time())}"
    with open(path, "rb") as f:
        content = f.read()
    boundary = "----live" + str(int(time.time() * 1000))
    parts = []
    for name, value in (("layer", "congestion"), ("source", source)):
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode())
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{label}.csv\"\r\nContent-Type: text/csv\r\n\r\n".encode())
    body = b"".join(parts) + content + f"\r\n--{boundary}--\r\n".encode()
    run = json.loads(http("POST", "/api/imports", body, {"content-type": f"multipart/form-data; boundary={boundary}"}))["id"]
    while True:
        r = json.loads(http("GET", f"/api/imports/{run}"))
        if r["status"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.05)
    done = time.monotonic()
    if r["status"] != "succeeded":
        raise SystemExit(f"import {label} ended {r['status']}: {r.get('error')}")
    inserted = r["counts"]["inserted"]
    # As an open embed follows the map: it asks for the data version (in this process, every 20 ms) and, when the
    # version moves, the public read model is counted once (psql). The count run every 50 ms was the load itself —
    # a process, a sign-in and a join over the source's records each time: three quarters of a core measured (with an
    # empty answer), taken from the refresher.
    # The time is when the version that holds every record was seen (the records and the version commit together).
    def all_public():
        return int(sql(f"SELECT count(*) FROM public_hotspots p JOIN hotspots h USING (id) WHERE h.source = '{source}'")) >= inserted
    seen, at = version(), time.monotonic()
    while not all_public():  # (at once if the batch had already committed)
        while (now := version()) == seen:
            time.sleep(0.02)
        seen, at = now, time.monotonic()
    took = at - done
    print(f"live: {label} import ({inserted} records) on the public map {took:.2f} s after it succeeded")
    ratio(f"import_{label}_to_public_map", took, target, "s")
    return source


small = os.path.join(WORK, "live-10k.csv")
if not os.path.exists(small):
    with open(small, "w") as f:
        f.write("id,title,lat,lon,severity\n")
        for i in range(10000):
            f.write(f"L-{i},Ùn tắc {i},{21.00 + (i % 100) * 0.0009:.5f},{105.78 + (i // 100) * 0.0009:.5f},{1 + i % 5}\n")
small_source = import_to_map(small, 10000, "10k", 5.0)

# 4. A full rebuild while the public map answers, then the check: first with the public map read steadily, 50 answers a
# second (a few embeds open while people pan: what the check has open), then read as fast as one client can
# (which takes about a core of the two for itself: the rebuild's worst case on this machine).
def rebuild_while_read(rate, name, what):
    answers, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            t = time.monotonic()
            http("GET", "/api/public/features/flooding?status=open&bbox=105.80,21.00,105.86,21.05", auth=False)
            answers.append(time.monotonic() - t)
            if rate:
                time.sleep(max(0.0, 1 / rate - (time.monotonic() - t)))

    th = threading.Thread(target=reader)
    th.start()
    t = time.monotonic()
    subprocess.run(["dotnet", os.environ["APP"], "snapshot", "rebuild"], check=True, env={**os.environ, "Logging__LogLevel__Default": "Warning"},
                   stdout=subprocess.DEVNULL)
    rebuild = time.monotonic() - t
    stop.set()
    th.join()
    print(f"live: full rebuild {rebuild:.1f} s (command start to commit) with {what}; public map meanwhile {len(answers)} answers, "
          f"p95 {pct(answers, 95) * 1000:.0f} ms, max {max(answers) * 1000:.0f} ms")
    ratio(name, rebuild, 30.0, "s")


rebuild_while_read(50, "full_rebuild_embeds_open", "the public map read 50 times a second")
rebuild_while_read(None, "full_rebuild", "the public map read as fast as one client can")
check = subprocess.run(["dotnet", os.environ["APP"], "snapshot", "check"], env={**os.environ, "Logging__LogLevel__Default": "Warning"},
                       capture_output=True, text=True)
print("live: " + check.stdout.strip().replace("\n", "\nlive: "))

if os.environ.get("LIVE_FIRST_LOAD") == "1":
    big = os.path.join(WORK, "import-1000000.csv")
    source = import_to_map(big, 1000000, "1M", 30.0)
    sql(f"DELETE FROM hotspots WHERE source = '{source}'")

# The bench database as it was: the next run edits and imports against the same million records. The service
# applies the deletions before it is stopped (the change log empty), so the next run does not start with them.
sql(f"DELETE FROM hotspots WHERE source = '{small_source}'")
while sql("SELECT EXISTS (SELECT FROM snapshot_changes)") == "t":
    time.sleep(0.5)
