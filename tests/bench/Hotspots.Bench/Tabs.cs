using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

/// <summary>
/// Server memory per open dashboard tab: open tabs in steps, and after each step read the managed heap after a
/// full GC from /health/memory (HOTSPOTS_DIAGNOSTICS=true); the least-squares slope is the cost of one tab.
/// </summary>
internal static class Tabs
{
    public static async Task RunAsync(IBrowser browser, string baseUrl, int[] counts, string signedIn)
    {
        using var http = new HttpClient();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 }, StorageState = signedIn });
        var pages = new List<IPage>();
        var points = new List<(int Tabs, double Bytes)>();
        foreach (var n in counts)
        {
            while (pages.Count < n)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(baseUrl + "/");
                await page.Locator("path.hs-ward").Nth(125).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
                pages.Add(page);
            }
            await Task.Delay(1000);
            // The smaller of two readings: a request in flight should not count as a tab's memory.
            var a = await http.GetFromJsonAsync<JsonElement>(baseUrl + "/health/memory");
            var b = await http.GetFromJsonAsync<JsonElement>(baseUrl + "/health/memory");
            var managed = Math.Min(a.GetProperty("managedBytes").GetInt64(), b.GetProperty("managedBytes").GetInt64());
            points.Add((n, managed));
            Console.WriteLine(FormattableString.Invariant(
                $"TABS {n}: circuits {b.GetProperty("circuits").GetInt32()}, managed heap {managed / 1024.0:0} KiB, working set {b.GetProperty("workingSetBytes").GetInt64() / 1048576.0:0} MiB"));
        }
        var mx = points.Average(p => p.Tabs);
        var my = points.Average(p => p.Bytes);
        var slope = points.Sum(p => (p.Tabs - mx) * (p.Bytes - my)) / points.Sum(p => (p.Tabs - mx) * (p.Tabs - mx));
        Console.WriteLine(FormattableString.Invariant($"SLOPE {slope / 1024.0:0.0} KiB per open tab (target 550 KB = 537 KiB)"));
        await context.CloseAsync();
    }
}
