using Hotspots.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Hotspots.Tests.Stats;

/// <summary>A planner shades the wards by data quality and opens one ward's parts, layer by layer.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class QualityBrowserTests(DashboardApp app)
{
    [Fact]
    public async Task The_wards_are_shaded_by_their_data_quality_and_a_wards_panel_shows_its_four_parts()
    {
        var ward = (await app.PlannerJsonAsync("/api/stats/wards")).GetProperty("wards").EnumerateArray()
            .First(w => w.TryGetProperty("quality", out var q) && q.ValueKind == System.Text.Json.JsonValueKind.Object && q.GetProperty("records").GetInt32() > 0);
        var code = ward.GetProperty("code").GetString()!;
        var score = ward.GetProperty("quality").GetProperty("score").GetDouble();

        var page = await app.OpenAsync($"?stat=quality&ward={code}");
        await Assertions.Expect(page.Locator("[data-legend-scale=quality]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        await Assertions.Expect(page.Locator(".hs-legend-scale-title")).ToContainTextAsync("Chất lượng dữ liệu");
        await Assertions.Expect(page.Locator("[data-quality-score]")).ToHaveAttributeAsync("data-quality-score", score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#ward-quality thead")).ToContainTextAsync("ĐúngĐủSạchSốngĐiểm");
        Assert.True(await page.Locator("#ward-quality tbody tr").CountAsync() >= 1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "ward-quality.png") });
        await page.CloseAsync();
    }
}
