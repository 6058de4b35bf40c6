using System.Globalization;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Hotspots.Tests.Dashboard;

/// <summary>Browser tests of the time slider, the subtype filter, the on-map legend and labels, and the two-ward compare.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardTimeAndCompareTests(DashboardApp app)
{
    private Task<JsonElement> Api(string path) => app.PlannerJsonAsync(path);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_time_slider_replays_the_map_counts_and_link_for_the_day_shown()
    {
        var page = await app.OpenAsync("?status=open");
        await page.Locator("#replay-on").CheckAsync();
        var output = page.Locator("output[data-replay-day]");
        await Assertions.Expect(output).ToBeVisibleAsync();
        var start = DateOnly.ParseExact((await output.GetAttributeAsync("data-replay-day"))!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-filter", $"status=open&at={Day(start)}");
        var expected = (await Api($"/api/features/urban-order?limit=20000&status=open&at={Day(start)}")).GetProperty("numberReturned").GetInt32();
        await Assertions.Expect(page.Locator("tr[data-row-for=urban-order] td").First).ToHaveTextAsync(expected.ToString("N0", new CultureInfo("vi")));

        // Moving the slider to step 10 shows ten weeks later, everywhere.
        await page.Locator("#replay-day").FillAsync("10");
        var later = start.AddDays(70);
        await Assertions.Expect(output).ToHaveAttributeAsync("data-replay-day", Day(later));
        Assert.Contains($"at={Day(later)}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-filter", $"status=open&at={Day(later)}");
        expected = (await Api($"/api/features/urban-order?limit=20000&status=open&at={Day(later)}")).GetProperty("numberReturned").GetInt32();
        await Assertions.Expect(page.Locator("tr[data-row-for=urban-order] td").First).ToHaveTextAsync(expected.ToString("N0", new CultureInfo("vi")));

        // The day is written on the map itself.
        await Assertions.Expect(page.Locator(".hs-replay-day")).ToHaveTextAsync($"Tình hình ngày {later:dd/MM/yyyy}");
        // A week on and a week back, by hand.
        await page.Locator("#replay-next").ClickAsync();
        await Assertions.Expect(output).ToHaveAttributeAsync("data-replay-day", Day(later.AddDays(7)));
        await page.Locator("#replay-back").ClickAsync();
        await Assertions.Expect(output).ToHaveAttributeAsync("data-replay-day", Day(later));

        // Play moves the day forward on its own, a week every 0.35 s (a year in about 18 s); pause stops it.
        await page.Locator("#replay-play").ClickAsync();
        // (Five weeks on within 10 s; the check does not need to catch each frame, ISO days compare as text.)
        await page.WaitForFunctionAsync("d => document.querySelector('output[data-replay-day]').dataset.replayDay >= d", Day(later.AddDays(35)),
            new PageWaitForFunctionOptions { Timeout = 10_000 });
        // While playing, the day moves the address each frame: a click would wait after itself for the navigation a
        // frame scheduled meanwhile (CI once waited 30 s), so the pause is a dispatched click; the pressed state below
        // is what shows it took.
        await page.Locator("#replay-play").DispatchEventAsync("click");
        await Assertions.Expect(page.Locator("#replay-play")).ToHaveAttributeAsync("aria-pressed", "false");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "replay.png") });

        // Turning replay off returns to today.
        await page.Locator("#replay-on").UncheckAsync();
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-filter", "status=open");
        await Assertions.Expect(page.Locator(".hs-replay-day")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_subtype_narrows_the_map_to_its_layer_and_the_counts_to_that_kind()
    {
        var page = await app.OpenAsync("?status=all");
        await page.Locator("#subtype").SelectOptionAsync("illegal_parking");
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-layers", "urban-order,projects");
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-filter", "subtype=illegal_parking");
        var expected = (await Api("/api/features/urban-order?limit=20000&subtype=illegal_parking")).GetProperty("numberReturned").GetInt32();
        Assert.True(expected > 0);
        await Assertions.Expect(page.Locator("tr[data-row-for=urban-order] td").First).ToHaveTextAsync(expected.ToString("N0", new CultureInfo("vi")));
        Assert.True(expected < (await Api("/api/features/urban-order?limit=20000")).GetProperty("numberReturned").GetInt32());
        Assert.Contains("sub=illegal_parking", page.Url, StringComparison.Ordinal);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_map_has_a_legend_per_layer_and_status_and_names_wards_when_zoomed_in()
    {
        var page = await app.OpenAsync("?lat=21.0285&lon=105.8542&z=14");
        var legend = page.Locator("[data-map-legend]");
        await Assertions.Expect(legend.Locator("[data-legend-status]")).ToHaveCountAsync(6);
        await Assertions.Expect(legend.Locator("[data-legend-layer]")).ToHaveCountAsync(6);
        await Assertions.Expect(legend.Locator("[data-legend-status=reported]")).ToContainTextAsync("Mới tiếp nhận");
        await Assertions.Expect(legend.Locator("[data-legend-status=reported]")).ToBeVisibleAsync(); // open on a wide screen
        // The symbols differ per status (outline style), as on the map.
        var dashed = await legend.Locator("[data-legend-status=reported] circle").GetAttributeAsync("stroke-dasharray");
        Assert.False(string.IsNullOrEmpty(dashed));
        Assert.Equal(Hotspots.Map.MapSymbols.OverdueColor, await legend.Locator("[data-legend-status=overdue] circle").GetAttributeAsync("stroke"));
        await Assertions.Expect(page.Locator(".hs-ward-label").Filter(new LocatorFilterOptions { HasText = "Hoàn Kiếm" })).ToHaveCountAsync(1);
        // Projects are styled by progress: their lines are not all equally strong.
        await page.WaitForFunctionAsync("() => new Set([...document.querySelectorAll('path.hs-project')].map(p => p.getAttribute('stroke-opacity'))).size >= 2");
        // Unchecking a layer takes it out of the legend.
        await page.Locator("input[data-layer=flooding]").UncheckAsync();
        await Assertions.Expect(legend.Locator("[data-legend-layer]")).ToHaveCountAsync(5);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "legend-labels.png") });
        // At city zoom the names are hidden.
        var city = await app.OpenAsync("?z=11");
        await Assertions.Expect(city.Locator("path.hs-ward")).ToHaveCountAsync(126);
        Assert.Equal(0, await city.Locator(".hs-ward-label").CountAsync());
        await city.CloseAsync();
        await page.CloseAsync();
    }

    [Fact]
    public async Task Two_wards_side_by_side_show_each_wards_api_numbers_and_a_trend()
    {
        var page = await app.OpenAsync("?ward=00004");
        var panel = page.Locator("[data-ward-panel=\"00004\"]");
        await Assertions.Expect(panel.Locator("[data-trend] tr[data-month]")).ToHaveCountAsync(12);
        await panel.Locator("#compare").SelectOptionAsync("00008");
        var table = page.Locator("[data-compare=\"00004,00008\"]");
        await Assertions.Expect(table).ToBeVisibleAsync();
        Assert.Contains("cmp=00008", page.Url, StringComparison.Ordinal);
        var a = (await Api("/api/wards/00004/stats")).GetProperty("categories");
        var b = (await Api("/api/wards/00008/stats")).GetProperty("categories");
        foreach (var layer in new[] { "flooding", "congestion", "urban-order", "environment", "food-safety" })
        {
            var cells = table.Locator($"tr[data-compare-for={layer}] td");
            await Assertions.Expect(cells.Nth(0)).ToHaveTextAsync(a.GetProperty(layer).GetProperty("open").GetInt32().ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(cells.Nth(3)).ToHaveTextAsync(b.GetProperty(layer).GetProperty("open").GetInt32().ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(cells.Nth(4)).ToHaveTextAsync(b.GetProperty(layer).GetProperty("overdue").GetInt32().ToString(CultureInfo.InvariantCulture));
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "compare.png") });
        await page.CloseAsync();
    }
}
