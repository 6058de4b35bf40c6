-- Appended by the bench scripts after their `paths` table: each request the next path, with the bench token, and a
-- closing line of percentiles (p50/p95/p99 in ms) for the scripts that read it.
local i = 0
local token = os.getenv("BENCH_TOKEN")
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. token })
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d requests, %d errors\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests, summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
