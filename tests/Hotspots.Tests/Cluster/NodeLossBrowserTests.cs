using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Cluster;

/// <summary>
/// A planner's dashboard lives in a Blazor circuit on the app node nginx keeps their browser on. That node dies: the
/// browser is moved to the other node, still signed in (both read the same keys), and the view comes back from the
/// page's address — the ward open, the layers and status chosen.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class NodeLossBrowserTests(ClusterFixture cluster)
{
    private const string View = "?ward=00004&status=all&layers=flooding,congestion&lat=21.03&lon=105.84&z=14";

    [Fact]
    public async Task A_dashboard_on_a_node_that_dies_comes_back_on_the_other_from_its_address()
    {
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = cluster.Nginx, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{cluster.Nginx}/account/signin");
        await page.FillAsync("#signin-email", "admin@hotspots.local");
        await page.FillAsync("#signin-password", (await File.ReadAllTextAsync(Path.Combine(cluster.Dir, "secrets/admin"))).Trim());
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^(?!.*/account/signin)"), new PageAssertionsToHaveURLOptions { Timeout = 30_000 });

        await page.GotoAsync($"{cluster.Nginx}/{View}");
        var panel = page.Locator("[data-ward-panel='00004']");
        await Assertions.Expect(panel).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        // The node this browser is kept on: nginx routes every request with its cookie there; the node names itself.
        var before = await ServedByAsync(context);
        Assert.Matches("^app[12]$", before);
        await page.EvaluateAsync("() => { window.hsBeforeLoss = true; }");

        var node = before[^1] - '0';
        var (code, output) = await cluster.RunAsync(TimeSpan.FromMinutes(1), "stop-node", $"app{node}");
        Assert.True(code == 0, output);
        try
        {
            // Blazor tries to reconnect, reaches the other node (nginx passes a dead upstream on), which does not know
            // the circuit: the page loads again, there, from its address.
            await page.WaitForFunctionAsync("() => window.hsBeforeLoss === undefined", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            await Assertions.Expect(panel).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
            Assert.Contains("ward=00004", page.Url, StringComparison.Ordinal);
            Assert.Contains("layers=flooding,congestion", Uri.UnescapeDataString(page.Url), StringComparison.Ordinal);
            Assert.DoesNotContain("/account/signin", page.Url, StringComparison.Ordinal);
            Assert.Equal($"app{3 - node}", await ServedByAsync(context));
            // A live circuit again: a change of view on the new node is answered (the status filter moves the address).
            await page.Locator("#status").SelectOptionAsync("resolved");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=resolved"), new PageAssertionsToHaveURLOptions { Timeout = 20_000 });
            Directory.CreateDirectory(DashboardApp.Screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "cluster-moved.png") });
        }
        finally
        {
            await cluster.StartAppAsync(node);
        }
    }

    // With the browser's own cookies (nginx's hs_node among them), so routed as the page is.
    private static async Task<string> ServedByAsync(IBrowserContext context)
    {
        var response = await context.APIRequest.GetAsync("/health/live");
        return response.Headers.TryGetValue("x-served-by", out var node) ? node : "";
    }
}
