using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

/// <summary>
/// A new user's first view, each run in a fresh browser context (empty cache): time from navigation start until the
/// 126 ward shapes are drawn by the map module (which the Blazor circuit starts, so the page is interactive then),
/// until the network is quiet, bytes over the wire (HTTP bodies and headers plus WebSocket frames, from the
/// DevTools protocol), and the largest GeoJSON answer in features.
/// </summary>
internal static class FirstView
{
    public static async Task RunAsync(IBrowser browser, string baseUrl, int runs, string signedIn)
    {
        var results = new List<(double Wards, double Quiet, long Bytes, long BaseBytes, int MaxFeatures)>();
        for (var i = 0; i < runs; i++)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, StorageState = signedIn });
            var page = await context.NewPageAsync();
            var cdp = await context.NewCDPSessionAsync(page);
            long bytes = 0, baseBytes = 0;
            // What the base map costs: its renderer, its fonts, its style module and its tiles (requests by URL).
            var urls = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
            cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) => urls[e!.Value.GetProperty("requestId").GetString()!] = e.Value.GetProperty("request").GetProperty("url").GetString()!;
            cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
            {
                var n = (long)e!.Value.GetProperty("encodedDataLength").GetDouble();
                Interlocked.Add(ref bytes, n);
                if (urls.TryGetValue(e.Value.GetProperty("requestId").GetString()!, out var url) && IsBasemap(url)) Interlocked.Add(ref baseBytes, n);
            };
            cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) => Interlocked.Add(ref bytes, e!.Value.GetProperty("response").GetProperty("payloadData").GetString()!.Length);
            cdp.Event("Network.webSocketFrameSent").OnEvent += (_, e) => Interlocked.Add(ref bytes, e!.Value.GetProperty("response").GetProperty("payloadData").GetString()!.Length);
            await cdp.SendAsync("Network.enable");
            var maxFeatures = 0;
            page.Response += async (_, r) =>
            {
                if (!r.Url.Contains("/api/features/", StringComparison.Ordinal) || r.Status != 200) return;
                try
                {
                    using var doc = JsonDocument.Parse(await r.BodyAsync());
                    var n = doc.RootElement.GetProperty("features").GetArrayLength();
                    if (n > maxFeatures) maxFeatures = n;
                }
                catch (PlaywrightException) { /* page closed while reading */ }
            };
            await page.GotoAsync(baseUrl + "/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            var wards = (await page.WaitForFunctionAsync(
                "() => document.querySelectorAll('path.hs-ward').length === 126 ? performance.now() : null",
                null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 10 })).JsonValueAsync<double>();
            var wardsMs = await wards;
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 60_000 });
            var quietMs = await page.EvaluateAsync<double>("() => performance.now() - 500"); // network idle is declared 500 ms after the last request
            results.Add((wardsMs, quietMs, Interlocked.Read(ref bytes), Interlocked.Read(ref baseBytes), maxFeatures));
            if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
            {
                // Where the time went: each resource's start and end, relative to navigation start.
                Console.WriteLine(await page.EvaluateAsync<string>(
                    "() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource'), ...performance.getEntriesByType('mark')].map(e => `${Math.round(e.startTime)}-${Math.round(e.responseEnd || e.startTime)} ms ${e.name.replace(location.origin, '')}`).join(String.fromCharCode(10))"));
            }
            Console.WriteLine(FormattableString.Invariant($"first-view run {i + 1}: wards drawn {wardsMs:0} ms, network quiet {quietMs:0} ms, {bytes / 1024.0:0} KiB (base map {baseBytes / 1024.0:0} KiB), largest GeoJSON {maxFeatures} features"));
        }
        var sorted = results.Select(r => r.Wards).Order().ToList();
        Console.WriteLine(FormattableString.Invariant(
            $"FIRST-VIEW median {sorted[sorted.Count / 2]:0} ms (max {sorted[^1]:0} ms; target 2000), quiet median {results.Select(r => r.Quiet).Order().ElementAt(results.Count / 2):0} ms, transferred max {results.Max(r => r.Bytes) / 1024.0:0} KiB (target 1024), of it base map max {results.Max(r => r.BaseBytes) / 1024.0:0} KiB (target 300), largest GeoJSON {results.Max(r => r.MaxFeatures)} features (limit 10000)"));
    }

    private static bool IsBasemap(string url) =>
        url.Contains("/basemap/", StringComparison.Ordinal) || url.Contains("/basemap.js", StringComparison.Ordinal) ||
        url.Contains("/lib/protomaps-leaflet/", StringComparison.Ordinal) || url.Contains("/lib/noto-sans/", StringComparison.Ordinal) ||
        (Environment.GetEnvironmentVariable("HOTSPOTS_BASEMAP_URL") is { Length: > 0 } raster && url.StartsWith(new Uri(raster.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal)).GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
}
