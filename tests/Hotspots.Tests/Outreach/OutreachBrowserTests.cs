using Hotspots.Calendar;
using System.Globalization;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Hotspots.Tests.Outreach;

/// <summary>The outreach index in the dashboard: the shading, the ranked list, weights and "why this ward", checked against the API.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class OutreachBrowserTests(DashboardApp app)
{
    private Task<JsonElement> ApiAsync(string query) => app.PlannerJsonAsync($"/api/outreach{query}");

    private static async Task<string[]> ListedAsync(IPage page) =>
        [.. (await page.Locator("[data-outreach-ward]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.outreachWard)"))];

    // The list once it shows the API's ranking, both read afresh each round: an import finishing in the background
    // (another test's) moves the data, and the panel re-ranks on its own a moment later.
    private async Task<string[]> SameAsApiAsync(IPage page, string query)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var api = (await ApiAsync(query)).GetProperty("wards").EnumerateArray().Select(w => w.GetProperty("code").GetString()!).ToArray();
            var listed = await ListedAsync(page);
            if (listed.AsEnumerable().SequenceEqual(api) || DateTime.UtcNow > until)
            {
                return api;
            }
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_planner_finds_the_wards_to_focus_on_and_why()
    {
        var page = await app.OpenAsync("?stat=outreach&ol=flooding,food-safety");
        var panel = page.Locator("[data-outreach-panel]");
        await Assertions.Expect(panel.Locator("[data-outreach-ward]")).ToHaveCountAsync(20);

        // The list is the API's ranking for the same layers and weights.
        Assert.Equal(await SameAsApiAsync(page, "?layers=flooding,food-safety&top=20"), await ListedAsync(page));
        var api = await ApiAsync("?layers=flooding,food-safety&top=20");
        Assert.False(await panel.Locator("[data-outreach-layer=congestion]").IsCheckedAsync());

        // The map shades the ward the list ranks first darkest (the list read again each round: it may re-rank).
        await page.WaitForFunctionAsync("""
            () => { const first = document.querySelector('[data-outreach-ward]')?.dataset.outreachWard;
                    return first && document.querySelector(`path.hs-ward[data-ward='${first}']`)?.getAttribute('fill') === '#a63603'; }
            """, null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        var first = (await ListedAsync(page))[0];

        // Why: the breakdown of the chosen ward adds up to its score, and the drivers are listed.
        await panel.Locator($"[data-outreach-ward='{first}'] button").ClickAsync();
        var why = panel.Locator($"[data-outreach-why='{first}']");
        await Assertions.Expect(why).ToBeVisibleAsync();
        var vi = new CultureInfo("vi");
        var contributions = await why.Locator("[data-contribution]").AllInnerTextsAsync();
        var total = double.Parse(await why.Locator("[data-total]").InnerTextAsync(), vi);
        Assert.Equal(total, contributions.Sum(c => double.Parse(c, vi)), 1);
        Assert.Equal(api.GetProperty("wards")[0].GetProperty("score").GetDouble(), total, 2);
        await Assertions.Expect(why.Locator("[data-driver]").First).ToBeVisibleAsync();
        Assert.Contains($"ward={first}", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "outreach.png") });
        await page.CloseAsync();
    }

    [Fact]
    public async Task Changed_weights_rerank_at_once_and_can_be_saved()
    {
        var page = await app.OpenAsync("?stat=outreach");
        var panel = page.Locator("[data-outreach-panel]");
        await Assertions.Expect(panel.Locator("[data-outreach-ward]")).ToHaveCountAsync(20);
        await panel.Locator(".hs-outreach-weights summary").ClickAsync();
        try
        {
            foreach (var input in await panel.Locator("[data-weight]").AllAsync())
            {
                var id = await input.GetAttributeAsync("data-weight");
                await input.FillAsync(id == "reports" ? "1" : "0");
                await input.DispatchEventAsync("change");
            }
            await Assertions.Expect(panel.Locator("[data-weights-source=edited]")).ToBeVisibleAsync();
            var expected = await SameAsApiAsync(page, "?weights=reports:1&top=20");
            Assert.Equal(expected, await ListedAsync(page));

            await panel.Locator("#weights-save").ClickAsync();
            await Assertions.Expect(panel.Locator("[data-weights-source=mine]")).ToBeVisibleAsync();
            var saved = await ApiAsync("/weights");
            Assert.Equal(1.0, saved.GetProperty("mine").GetProperty("reports").GetDouble());

            // A new tab ranks with the saved weights: its list is the API's for those weights, read afresh (an import
            // finishing meanwhile in another test moves the ranking, so the list read above may be out of date).
            var again = await app.OpenAsync("?stat=outreach");
            await Assertions.Expect(again.Locator("[data-outreach-ward]")).ToHaveCountAsync(20);
            Assert.Equal(await SameAsApiAsync(again, "?weights=reports:1&top=20"), await ListedAsync(again));
            await again.CloseAsync();
        }
        finally
        {
            await panel.Locator("#weights-default").ClickAsync();
            await Assertions.Expect(panel.Locator("[data-weights-source=defaults]")).ToBeVisibleAsync();
        }
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_ward_lead_downloads_the_quarterly_report_and_the_poster_of_their_ward()
    {
        var email = $"lead-{Guid.NewGuid():N}@hotspots.test";
        await TestUsers.CreateAsync(app.Services, email, Hotspots.Accounts.Roles.WardLead, "00004");
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await app.SignInAsync(page, email);
        var documents = page.Locator("[data-documents='00004']");
        // The map is drawn once the circuit is live; before that the page is only prerendered.
        await page.Locator("path.hs-ward").Nth(125).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 20_000 });
        await Assertions.Expect(documents).ToBeVisibleAsync();
        var last = Hotspots.Calendar.Quarter.Containing(DateTimeOffset.UtcNow).Previous;
        await documents.Locator("select").SelectOptionAsync(last.ToString());
        await Assertions.Expect(documents.Locator("[data-report=pdf]")).ToHaveAttributeAsync("href", $"/api/reports/quarterly/00004.pdf?quarter={last}");

        var report = await page.RunAndWaitForDownloadAsync(() => documents.Locator("[data-report=pdf]").ClickAsync());
        using (var pdf = UglyToad.PdfPig.PdfDocument.Open(await File.ReadAllBytesAsync((await report.PathAsync())!)))
        {
            var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
            Assert.Contains(last.Label(false), text, StringComparison.Ordinal);
            Assert.Contains("Phường Ba Đình", text, StringComparison.Ordinal);
        }
        Assert.EndsWith($"{last}-00004.pdf", report.SuggestedFilename, StringComparison.Ordinal);

        var poster = await page.RunAndWaitForDownloadAsync(() => documents.Locator("[data-poster=A4]").ClickAsync());
        using (var pdf = UglyToad.PdfPig.PdfDocument.Open(await File.ReadAllBytesAsync((await poster.PathAsync())!)))
        {
            Assert.Equal(1, pdf.NumberOfPages);
            // This site has no public address configured: the poster prints no QR code (the request's host is not
            // trusted) and says what the admin must set; WardPosterTests reads the code where one is configured.
            var text = pdf.GetPage(1).Text;
            Assert.True(text.Contains("Chưa có mã QR", StringComparison.Ordinal), text);
        }

        // The printable page opens in a tab as it will print.
        var printView = await page.RunAndWaitForPopupAsync(() => documents.Locator("[data-poster=page]").ClickAsync());
        await Assertions.Expect(printView.Locator("[data-poster='00004']")).ToBeVisibleAsync();
        await printView.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "poster.png"), FullPage = true });
        await context.CloseAsync();
    }
}
