using Hotspots.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Hotspots.Tests.FloodRisk;

/// <summary>A planner asks the dashboard "what if 60 mm fall today?" and then "what did 30 September 2025 mean?".</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class RainScenarioBrowserTests(DashboardApp app)
{
    [Fact]
    public async Task A_rain_scenario_draws_the_points_it_expects_and_the_gauges_and_says_so_in_words()
    {
        var page = await app.OpenAsync("?status=open");
        await page.Locator("#rain-scenario summary").ClickAsync();
        await page.Locator("#rain-mm").FillAsync("60");
        await page.Locator("#rain-scenario button[type=submit]").ClickAsync();

        // The plan's six 50–70 mm points are expected at 60 mm; the other layers make way for the scenario.
        var map = page.Locator(".hs-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-rain", "mm=60");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-layers", "projects");
        Assert.Contains("rain=60", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-rain-expected]")).ToHaveAttributeAsync("data-rain-expected", "6");
        await Assertions.Expect(page.Locator("[data-rain-expected]")).ToContainTextAsync("6 điểm dự kiến ngập");
        await Assertions.Expect(page.Locator("[data-rain-point=expected]")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("[data-rain-point=quiet]")).ToHaveCountAsync(9);
        await Assertions.Expect(page.Locator("[data-legend-rain]")).ToContainTextAsync("Dự kiến ngập");
        await Assertions.Expect(page.Locator(".hs-rain-gauge")).ToHaveCountAsync(0); // the same 60 mm everywhere: no gauge to read

        // A past day: its gauges' real rain, every plan point over its scenario, and no flood reported to compare with.
        await page.Locator("[data-rain-day='2025-09-30']").ClickAsync();
        await Assertions.Expect(map).ToHaveAttributeAsync("data-rain", "day=2025-09-30");
        await Assertions.Expect(page.Locator(".hs-rain-result h3")).ToHaveTextAsync("Mưa ngày 30/09/2025");
        await Assertions.Expect(page.Locator(".hs-rain-result")).ToContainTextAsync("Mưa đo được tại 32 trạm");
        await Assertions.Expect(page.Locator(".hs-rain-gauge")).ToHaveCountAsync(32); // those that measured that day
        await Assertions.Expect(page.Locator("[data-legend-rain]")).ToContainTextAsync("Trạm đo mưa");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "rain-scenario.png") });

        // A gauge opens its panel: 24 months of rain as bars, its wettest days (each a scenario of its own), its heavy days per year.
        await page.Locator(".hs-rain-gauge").First.ClickAsync();
        var gauge = page.Locator("[data-gauge-panel]");
        await Assertions.Expect(gauge.Locator("h2")).ToContainTextAsync("Trạm đo mưa");
        await Assertions.Expect(gauge.Locator("[data-gauge-months]")).ToHaveAttributeAsync("data-gauge-months", "24");
        await Assertions.Expect(gauge).ToContainTextAsync("vì chưa công bố tọa độ trạm");
        Assert.Contains("gauge=", page.Url, StringComparison.Ordinal);
        var wettest = gauge.Locator("[data-gauge-day]").First;
        var day = (await wettest.GetAttributeAsync("data-gauge-day"))!;
        await wettest.ClickAsync();
        await Assertions.Expect(map).ToHaveAttributeAsync("data-rain", $"day={day}");

        // Off: the layers come back.
        await page.Locator("#rain-off").ClickAsync();
        await Assertions.Expect(page.Locator(".hs-rain-gauge")).ToHaveCountAsync(0);
        await Assertions.Expect(map).ToHaveAttributeAsync("data-layers", "flooding,congestion,urban-order,environment,food-safety,projects");
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_public_embed_shows_a_scenario_in_the_publics_words_and_a_points_source_and_last_update()
    {
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        await page.GotoAsync($"{app.BaseUrl}/embed?rain=60");
        var map = page.Locator("#hs-embed-map");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-rain", "mm=60", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
        await Assertions.Expect(map).ToHaveAttributeAsync("data-layers", "projects");
        await Assertions.Expect(page.Locator("[data-embed-rain]")).ToHaveTextAsync("Mưa 60 mm trong một ngày: 6 điểm dự kiến ngập.");
        await Assertions.Expect(page.Locator("[data-rain-point=expected]")).ToHaveCountAsync(6);

        // A plan point's popup on the public map: where it came from and when it was last touched, no person named.
        await page.GotoAsync($"{app.BaseUrl}/embed?layers=flooding&data=real&lat=21.028283&lon=105.838667&z=18&about=0");
        await Assertions.Expect(page.Locator("canvas.leaflet-tile").First).ToBeAttachedAsync(new LocatorAssertionsToBeAttachedOptions { Timeout = 20_000 });
        var box = (await map.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        var popup = page.Locator(".leaflet-popup-content");
        await Assertions.Expect(popup).ToContainTextAsync("Đường Nguyễn Khuyến", new LocatorAssertionsToContainTextOptions { Timeout = 10_000 });
        await Assertions.Expect(popup).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Nguồn: văn bản của UBND thành phố, cập nhật \d{2}/\d{2}/\d{4}"));
        await page.CloseAsync();
    }
}
