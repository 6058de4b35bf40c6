using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hotspots.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests(DashboardApp app)
{
    private async Task<long> ApiCount(string layer, string filter)
    {
        using var http = app.PlannerHttp();
        var json = JsonDocument.Parse(await http.GetStringAsync($"{app.BaseUrl}/api/features/{layer}?limit=20000&{filter}"));
        return json.RootElement.GetProperty("numberReturned").GetInt64();
    }

    private static Task<string?> Layers(IPage page) => page.Locator(".hs-map").GetAttributeAsync("data-layers");

    [Fact]
    public async Task Map_loads_in_vietnamese_with_the_126_ward_shapes_and_every_layer()
    {
        var page = await app.OpenAsync();
        Assert.Equal("vi", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(126, await page.Locator("path.hs-ward").CountAsync());
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-layers", "flooding,congestion,urban-order,environment,food-safety,projects");
        Assert.Contains("sapnhap.bando.com.vn", await page.Locator(".leaflet-control-attribution").InnerTextAsync(), StringComparison.Ordinal);
        // The filters come off until the page is live (a change made before would be undone), then on.
        var prerendered = await (await page.Context.APIRequest.GetAsync($"{app.BaseUrl}/")).TextAsync();
        Assert.Matches("<fieldset class=\"hs-live\" disabled[^>]*>\\s*<fieldset><legend>Lớp dữ liệu", prerendered);
        await Assertions.Expect(page.Locator("#status")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("input[data-layer=flooding]")).ToBeEnabledAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "dashboard-vi.png") });
        await page.CloseAsync();
    }

    [Fact]
    public async Task Toggling_a_layer_changes_what_is_drawn_and_the_link()
    {
        var page = await app.OpenAsync();
        await page.Locator("input[data-layer=flooding]").UncheckAsync();
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-layers", "congestion,urban-order,environment,food-safety,projects");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("layers=congestion,urban-order"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_status_filter_changes_counts_as_the_api_counts_them()
    {
        var page = await app.OpenAsync();
        var expected = await ApiCount("urban-order", "status=resolved");
        await page.Locator("#status").SelectOptionAsync("resolved");
        await Assertions.Expect(page.Locator("tr[data-row-for=urban-order] td").First)
            .ToHaveTextAsync(expected.ToString("N0", new System.Globalization.CultureInfo("vi")), new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });
        Assert.Contains("status=resolved", page.Url, StringComparison.Ordinal);
        // The map's tiles carry the same filter.
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-filter", "status=resolved");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Severity_data_and_date_filters_reach_counts_and_tiles()
    {
        var page = await app.OpenAsync("?status=all&data=real");
        await Assertions.Expect(page.Locator("tr[data-row-for=flooding] td").First).ToHaveTextAsync("15");
        await page.Locator("#severity").SelectOptionAsync("4");
        // Typed as a Hanoi clerk writes a day, shown back as dd/MM/yyyy whatever the browser's language.
        await page.Locator("#from").FillAsync("1/1/2025");
        await page.Locator("#from").DispatchEventAsync("change");
        await Assertions.Expect(page.Locator("#from")).ToHaveValueAsync("01/01/2025");
        const string filter = "severity=4,5&sample=false&from=2025-01-01";
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-filter", filter, new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
        var expected = await ApiCount("flooding", filter);
        await Assertions.Expect(page.Locator("tr[data-row-for=flooding] td").First).ToHaveTextAsync(expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Ward_search_ignores_diacritics_and_selects_the_ward()
    {
        var page = await app.OpenAsync();
        await page.Locator("#ward-search").FillAsync("dong da");
        await page.Locator("button[data-ward]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-selected-ward]")).ToHaveTextAsync("Phường Đống Đa");
        var code = await page.Locator("[data-selected-ward]").GetAttributeAsync("data-selected-ward");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"ward={code}"));
        var expected = await ApiCount("congestion", $"status=open&ward={code}");
        await Assertions.Expect(page.Locator("tr[data-row-for=congestion] td").First)
            .ToHaveTextAsync(expected.ToString("N0", new System.Globalization.CultureInfo("vi")));
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_ward_click_opens_its_panel_with_the_api_numbers_and_its_list()
    {
        var page = await app.OpenAsync("?layers=flooding&status=rejected&lat=21.0368&lon=105.8365&z=15");
        var box = (await page.Locator(".hs-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        var panel = page.Locator("[data-ward-panel=\"00004\"]");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        using var http = app.PlannerHttp();
        var stats = JsonDocument.Parse(await http.GetStringAsync($"{app.BaseUrl}/api/wards/00004/stats")).RootElement.GetProperty("categories");
        foreach (var layer in new[] { "flooding", "congestion", "urban-order", "environment", "food-safety" })
        {
            await Assertions.Expect(panel.Locator($"tr[data-score-for={layer}] td[data-open]")).ToHaveTextAsync(stats.GetProperty(layer).GetProperty("open").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(panel.Locator($"tr[data-score-for={layer}] td[data-overdue]")).ToHaveTextAsync(stats.GetProperty(layer).GetProperty("overdue").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        // The list follows the filters (rejected flooding records of the ward).
        var rows = panel.Locator("li[data-hotspot]");
        Assert.Equal(Math.Min(50, await ApiCount("flooding", "status=rejected&ward=00004")), await rows.CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "ward-panel.png") });
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_long_6_ro_list_comes_a_page_at_a_time()
    {
        // The ward with the most records of every status: its list outgrows one page.
        var stats = await app.PlannerJsonAsync("/api/stats/wards");
        var busiest = stats.GetProperty("wards").EnumerateArray().MaxBy(w => w.GetProperty("totals").GetProperty("total").GetInt32());
        var code = busiest.GetProperty("code").GetString()!;
        long total = 0;
        foreach (var layer in new[] { "flooding", "congestion", "urban-order", "environment", "food-safety" })
        {
            total += await ApiCount(layer, $"ward={code}");
        }
        Assert.True(total > 50, $"the test data's busiest ward holds {total} records");
        var page = await app.OpenAsync($"?ward={code}&status=all");
        var rows = page.Locator($"[data-ward-panel='{code}'] li[data-hotspot]");
        await Assertions.Expect(rows).ToHaveCountAsync(50, new LocatorAssertionsToHaveCountOptions { Timeout = 20_000 });
        await page.Locator("#ward-list-more").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync((int)Math.Min(100, total));
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_6_ro_list_shows_all_six_says_which_are_not_set_and_can_keep_only_those()
    {
        var page = await app.OpenAsync("?ward=00004&status=all");
        var panel = page.Locator("[data-ward-panel='00004']");
        var first = panel.Locator("li[data-hotspot]").First;
        await Assertions.Expect(first).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        // What (the title) and the five others, each labelled; the card counts how many are clear.
        Assert.Equal(["Cán bộ phụ trách", "Đơn vị chịu trách nhiệm", "Cấp có thẩm quyền", "Thời gian", "Kết quả xử lý"],
            (await first.Locator(".hs-six dt").AllTextContentsAsync()).Select(t => t.Trim()));
        foreach (var item in new[] { "assignee", "unit", "authority", "time", "result" })
        {
            Assert.False(string.IsNullOrWhiteSpace(await first.Locator($"[data-six={item}]").TextContentAsync()), item);
        }
        // Sorted as asked: by title, in the database's (code point) order.
        await panel.Locator("#ward-sort").SelectOptionAsync("title");
        await page.WaitForFunctionAsync("""
            () => { const t = [...document.querySelectorAll("[data-ward-panel='00004'] li[data-hotspot] .hs-what")].map(e => e.textContent);
                    return t.length > 1 && t.every((x, i) => i === 0 || t[i - 1] <= x); }
            """);
        var shown = await panel.Locator("li[data-hotspot] .hs-what").AllTextContentsAsync();
        Assert.Equal(shown.Order(StringComparer.Ordinal), shown);
        await panel.Locator(".hs-tasks").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "six-clear.png") });
        // Keeping only the records not yet clear on all six: every card left says "chưa rõ" somewhere and counts under 6.
        await panel.Locator("#ward-unclear").CheckAsync();
        await Assertions.Expect(panel.Locator("li[data-hotspot][data-clear='6']")).ToHaveCountAsync(0);
        var left = panel.Locator("li[data-hotspot]");
        Assert.True(await left.CountAsync() > 0, "the sample data leaves some records unclear");
        foreach (var card in (await left.AllAsync()).Take(10))
        {
            await Assertions.Expect(card.Locator(".hs-unclear").First).ToHaveTextAsync("chưa rõ");
        }
        await page.CloseAsync();
    }

    [Fact]
    public async Task City_wide_cells_of_several_records_carry_their_count()
    {
        // Every text the map's canvases write, and every urban-order tile the page receives.
        const string watch = """
            window.__drawn = [];
            const fillText = CanvasRenderingContext2D.prototype.fillText;
            CanvasRenderingContext2D.prototype.fillText = function (t, ...rest) { window.__drawn.push(String(t)); return fillText.call(this, t, ...rest); };
            """;
        var tiles = new System.Collections.Concurrent.ConcurrentBag<string>();
        var page = await app.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, StorageState = app.PlannerState });
        page.Response += (_, r) => { if (r.Url.Contains("/tiles/urban-order/", StringComparison.Ordinal)) tiles.Add(r.Url); };
        await page.AddInitScriptAsync(watch);
        await page.GotoAsync($"{app.BaseUrl}/?layers=urban-order&status=all&lat=21.03&lon=105.84&z=12");
        await page.WaitForFunctionAsync("() => window.__drawn.some((t) => /^\\d+$/.test(t))", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        await page.WaitForTimeoutAsync(1000); // the rest of the tiles
        var drawn = (await page.EvaluateAsync<string[]>("() => window.__drawn")).Where(t => t.All(char.IsAsciiDigit)).Select(int.Parse).ToList();
        var counts = new List<int>();
        using var http = app.PlannerHttp(); // the same tiles again (the browser keeps no body of what a script fetched)
        foreach (var url in tiles.Distinct())
        {
            counts.AddRange(MvtReader.Read(await http.GetByteArrayAsync(url)).SelectMany(l => l.Features).Select(f => Convert.ToInt32(f.Properties["count"], CultureInfo.InvariantCulture)));
        }
        // Each number written is the count of a cell the server sent, small ones too (2–8 used to be left blank).
        Assert.NotEmpty(drawn);
        Assert.All(drawn.Distinct(), n => Assert.Contains(n, counts));
        Assert.DoesNotContain(1, drawn);
        if (counts.Any(c => c is > 1 and < 9))
        {
            Assert.Contains(drawn, n => n is > 1 and < 9);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "city-cells.png") });
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_ward_with_nothing_under_the_filters_says_so()
    {
        var page = await app.OpenAsync("?ward=00004&from=2030-01-01");
        var panel = page.Locator("[data-ward-panel='00004']");
        await Assertions.Expect(panel.Locator("[data-list-empty]")).ToHaveTextAsync("Chưa có điểm nào theo bộ lọc đang chọn.", new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_choropleth_shades_wards_by_the_chosen_statistic()
    {
        var page = await app.OpenAsync();
        await page.Locator("#stat").SelectOptionAsync("openPerKm2");
        await page.WaitForFunctionAsync("() => new Set([...document.querySelectorAll('path.hs-ward')].map(p => p.getAttribute('fill'))).size >= 4",
            null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.Contains("stat=openPerKm2", page.Url, StringComparison.Ordinal);
        // The legend carries the scale: six colours, each with its range, under the statistic's name; none without shading.
        var scale = page.Locator("[data-legend-scale=openPerKm2] li");
        await Assertions.Expect(scale).ToHaveCountAsync(6);
        await Assertions.Expect(scale.First).ToContainTextAsync("≤");
        await Assertions.Expect(scale.Last).ToContainTextAsync(">");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "choropleth.png") });
        await page.Locator("#stat").SelectOptionAsync("none");
        await Assertions.Expect(page.Locator("[data-legend-scale]")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_project_panel_shows_progress_milestones_wards_and_nearby_hotspots()
    {
        var page = await app.OpenAsync("?project=ring-road-1");
        var panel = page.Locator("[data-project-panel=ring-road-1]");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        // The project is drawn bolder than the others while its panel is open.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('path.hs-project')].some(p => p.getAttribute('stroke-width') === '6')");
        using var http = app.PlannerHttp();
        var fc = JsonDocument.Parse(await http.GetStringAsync($"{app.BaseUrl}/api/features/projects")).RootElement;
        var ring1 = fc.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "ring-road-1").GetProperty("properties");
        await Assertions.Expect(panel.Locator("[data-progress]")).ToHaveTextAsync(
            ring1.GetProperty("progressPct").GetDecimal().ToString("0.#", new System.Globalization.CultureInfo("vi")));
        Assert.Equal(5, await panel.Locator(".hs-timeline li").CountAsync());
        Assert.Equal(ring1.GetProperty("wards").GetArrayLength(), (await panel.Locator("[data-wards]").InnerTextAsync()).Split(", ").Length);
        long Near(string text) => long.Parse(text.Split(": ")[1], System.Globalization.CultureInfo.InvariantCulture);
        var near500 = Near(await panel.Locator("[data-nearby-for=urban-order]").InnerTextAsync());
        await panel.Locator("#distance").SelectOptionAsync("2000");
        await page.WaitForFunctionAsync($"() => +document.querySelector('[data-nearby-for=urban-order]').textContent.split(': ')[1] > {near500}",
            null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "project-panel.png") });
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_heatmap_view_draws_each_layer_from_the_cells()
    {
        var page = await app.OpenAsync("?layers=urban-order,congestion&status=open&view=heat");
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-view", "heat");
        await Assertions.Expect(page.Locator("canvas.leaflet-heatmap-layer")).ToHaveCountAsync(2);
        Assert.Equal(0, await page.Locator(".leaflet-tile[data-layer], canvas.leaflet-tile").CountAsync());
        // A filter the heat API cannot honour keeps the map on points, so it still matches the counts.
        await page.Locator("#severity").SelectOptionAsync("5");
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-view", "points", new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 });
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_copied_link_restores_the_same_view()
    {
        var page = await app.OpenAsync("?layers=congestion,projects&status=resolved&ward=00004&lat=21.03&lon=105.84&z=14");
        Assert.False(await page.Locator("input[data-layer=flooding]").IsCheckedAsync());
        Assert.True(await page.Locator("input[data-layer=congestion]").IsCheckedAsync());
        Assert.Equal("resolved", await page.Locator("#status").InputValueAsync());
        await Assertions.Expect(page.Locator("[data-selected-ward]")).ToHaveAttributeAsync("data-selected-ward", "00004");
        await Assertions.Expect(page.Locator(".hs-map")).ToHaveAttributeAsync("data-layers", "congestion,projects");
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_english_switch_translates_the_page()
    {
        var page = await app.OpenAsync();
        await page.Locator("a.hs-lang").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Hotspots — Hanoi's five bottlenecks and key projects");
        await page.Locator("path.hs-ward").Nth(125).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "dashboard-en.png") });
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_title_with_markup_is_shown_as_text_and_runs_nothing()
    {
        var page = await app.OpenAsync(FormattableString.Invariant($"?layers=urban-order&status=open&lat={DashboardApp.ScriptLat}&lon={DashboardApp.ScriptLon}&z=18"));
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        // The record is at the centre of the view the link opens; points are drawn on canvas tiles.
        await page.Locator("canvas.leaflet-tile").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        var box = (await page.Locator(".hs-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        var popup = page.Locator(".leaflet-popup-content");
        await Assertions.Expect(popup).ToContainTextAsync(DashboardApp.ScriptTitle);
        Assert.Equal(0, await popup.Locator("img").CountAsync());
        Assert.Equal(0, dialogs);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "popup-text-only.png") });
        await page.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_a_new_report_where_one_is_open_is_warned_and_opens_the_open_one()
    {
        // An open flooded point in Sóc Sơn, away from the wards the other dashboard tests count.
        await using (var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('flooding', 'Ngập trước cổng chợ Nỉ', 3, 'verified', now(), ST_SetSRID(ST_MakePoint(105.80000, 21.27000), 4326), 'test:phone-nearby', 'p1')
            ON CONFLICT DO NOTHING
            """))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        var page = await app.OpenAsync("?layers=flooding&lat=21.27010&lon=105.80000&z=17", width: 390, height: 844);
        await page.Locator("#add-hotspot").ClickAsync();
        // The button is far below the map on a phone: the map comes into sight to be tapped.
        await Assertions.Expect(page.Locator(".hs-map.hs-picking")).ToBeInViewportAsync();
        var box = (await page.Locator(".hs-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        var warning = page.Locator("#new-nearby");
        await Assertions.Expect(warning).ToContainTextAsync("Ngập trước cổng chợ Nỉ");
        await Assertions.Expect(warning).ToContainTextAsync("trong vòng 150 m");
        await Assertions.Expect(page.Locator(".hs-new-hotspot h2")).ToBeInViewportAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "nearby-phone.png") });
        await warning.Locator("button", new LocatorLocatorOptions { HasText = "Ngập trước cổng chợ Nỉ" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-hotspot-panel]")).ToContainTextAsync("Ngập trước cổng chợ Nỉ");
        await Assertions.Expect(page.Locator("#new-hotspot")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Works_on_a_phone_screen()
    {
        var page = await app.OpenAsync(width: 390, height: 844);
        var map = (await page.Locator(".hs-map").BoundingBoxAsync())!;
        Assert.True(map.Width >= 380 && map.Height >= 400, $"map {map.Width}×{map.Height}");
        // Every link of the header fits on the screen; the title wraps above them.
        foreach (var link in await page.Locator(".hs-header a, .hs-header button").AllAsync())
        {
            var box = (await link.BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{await link.InnerTextAsync()} at {box.X}+{box.Width}");
        }
        // The legend starts folded so it does not cover the map, and opens from its title.
        var legend = page.Locator("[data-map-legend]");
        await Assertions.Expect(legend.Locator("[data-legend-status=reported]")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "dashboard-phone.png") });
        await legend.Locator("summary").ClickAsync();
        await Assertions.Expect(legend.Locator("[data-legend-status=reported]")).ToBeVisibleAsync();
        // The filters are one tap away: the button takes the page to them.
        await page.Locator(".hs-to-filters").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToBeInViewportAsync();
        // A ward's panel opens as a bottom sheet: the map above it stays in view.
        await page.GotoAsync($"{app.BaseUrl}/?ward=00004");
        var sheet = page.Locator(".hs-drawer");
        await Assertions.Expect(sheet.Locator("[data-ward-panel='00004']")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        // (The drawer is rendered again as the ward's data arrives: its box is read once it stands still.)
        await page.WaitForFunctionAsync("() => { const d = document.querySelector('.hs-drawer'); return d && d.getBoundingClientRect().top >= 844 * 0.45; }");
        await Assertions.Expect(page.Locator(".hs-map")).ToBeInViewportAsync();
        await page.CloseAsync();
    }

    // The panel says what the import and the features API know of a record: its kind, a flood's depth, an
    // inspection's result and faults, in words.
    [Fact]
    public async Task A_record_s_panel_lists_its_kind_and_its_layer_s_own_fields()
    {
        using var http = app.PlannerHttp();
        var food = JsonDocument.Parse(await http.GetStringAsync($"{app.BaseUrl}/api/features/food-safety?limit=200&details=true")).RootElement
            .GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("properties").TryGetProperty("details", out var d) && d.GetProperty("violations").GetArrayLength() > 0);
        var properties = food.GetProperty("properties");
        var details = properties.GetProperty("details");
        // On the page as first sent the panel is there but its buttons are off: a click then would do nothing.
        await using (var first = await app.Browser.NewContextAsync(new BrowserNewContextOptions { StorageState = app.PlannerState }))
        {
            var html = await (await first.APIRequest.GetAsync($"{app.BaseUrl}/?h={food.GetProperty("id")}")).TextAsync();
            var off = html.IndexOf("<fieldset class=\"hs-live\" disabled", StringComparison.Ordinal);
            Assert.True(off >= 0);
            Assert.InRange(html.IndexOf("id=\"record-locate\"", StringComparison.Ordinal), off, html.LastIndexOf("</fieldset>", StringComparison.Ordinal));
        }
        var page = await app.OpenAsync($"?h={food.GetProperty("id")}&z=11");
        var panel = page.Locator($"[data-hotspot-panel='{food.GetProperty("id")}']");
        await Assertions.Expect(panel).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
        await Assertions.Expect(panel.Locator("h2")).ToBeFocusedAsync(); // brought to the top of the sidebar, below the filters
        // The record stays ringed on the map while its panel is open.
        await Assertions.Expect(page.Locator($"[data-chosen-hotspot='{food.GetProperty("id")}']")).ToHaveCountAsync(1);
        Assert.InRange((await panel.Locator("h2").BoundingBoxAsync())!.Y, 0, 120);
        await Assertions.Expect(panel.Locator("[data-record-kind]")).ToHaveAttributeAsync("data-record-kind", properties.GetProperty("subtype").GetString()!);
        await Assertions.Expect(panel.Locator("[data-record-detail='result']")).ToHaveTextAsync(details.GetProperty("result").GetString() == "pass" ? "Đạt" : "Không đạt");
        await Assertions.Expect(panel.Locator("[data-record-detail='inspection_date']")).ToHaveTextAsync(
            DateOnly.Parse(details.GetProperty("inspection_date").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(panel.Locator("[data-record-detail='violations']")).ToHaveTextAsync(
            string.Join("; ", details.GetProperty("violations").EnumerateArray().Select(v => v.GetString())));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardApp.Screenshots, "record-panel-food-safety.png") });
        // "Show on the map" takes the map to the record, close up (ward names are drawn from zoom 12 on the default base map).
        Assert.Equal(0, await page.Locator(".hs-ward-label").CountAsync());
        await panel.Locator("#record-locate").ClickAsync();
        await Assertions.Expect(page.Locator(".hs-ward-label").First).ToBeAttachedAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]z=17(&|$)"));
        var center = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(new URL(location.href).searchParams.get('lat'))")).RootElement.GetString();
        var coordinates = food.GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(coordinates[1].GetDouble(), double.Parse(center!, System.Globalization.CultureInfo.InvariantCulture), 4);

        var flood = JsonDocument.Parse(await http.GetStringAsync($"{app.BaseUrl}/api/features/flooding?limit=200&details=true")).RootElement
            .GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("properties").TryGetProperty("details", out var d) && d.TryGetProperty("depth_cm", out var depth) && depth.ValueKind == JsonValueKind.Number);
        await page.GotoAsync($"{app.BaseUrl}/?h={flood.GetProperty("id")}");
        await Assertions.Expect(page.Locator("[data-record-detail='depth_cm']")).ToHaveTextAsync(
            flood.GetProperty("properties").GetProperty("details").GetProperty("depth_cm").GetInt32().ToString("#,0", System.Globalization.CultureInfo.GetCultureInfo("vi")),
            new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });
        await page.CloseAsync();
    }
}
