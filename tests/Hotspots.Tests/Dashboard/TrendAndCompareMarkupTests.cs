using System.Globalization;
using System.Text.RegularExpressions;
using Hotspots.Dashboard;
using Hotspots.Stats;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hotspots.Tests.Dashboard;

/// <summary>Markup of the ward trend chart, the two-ward table and the time slider (HtmlRenderer, no browser, no database).</summary>
[Trait("Category", "Unit")]
public sealed partial class TrendAndCompareMarkupTests
{
    private static Task<string> Render<T>(Dictionary<string, object?> parameters, string culture = "vi") where T : IComponent =>
        Markup.RenderAsync<T>(new ServiceCollection().AddLogging().AddLocalization().AddSingleton(TimeProvider.System).BuildServiceProvider(), parameters, culture);

    private static IReadOnlyList<MonthCount> Year() =>
        Enumerable.Range(0, 12).Select(i => new MonthCount(new DateOnly(2025, 12, 1).AddMonths(i), i * 10, i == 11 ? 0 : 60)).ToList();

    [Fact]
    public async Task The_trend_chart_draws_twelve_months_scaled_to_the_busiest()
    {
        var html = await Render<TrendChart>(new() { ["Months"] = Year() });
        Assert.Equal(12, Regex.Matches(html, "<tr data-month=").Count);
        var opened = BarHeights().Matches(html).Where(m => m.Groups["kind"].Value == "opened").Select(m => int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture)).ToList();
        var resolved = BarHeights().Matches(html).Where(m => m.Groups["kind"].Value == "resolved").Select(m => int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(12, opened.Count);
        Assert.Equal(0, opened[0]);       // a month with nothing has no bar
        Assert.Equal(33, opened[6]);      // 60 of a maximum of 110, on a 60-unit axis
        Assert.Equal(0, resolved[11]);
        Assert.Contains("<tr data-month=\"2026-11\"><td>11/2026</td><td>110</td><td>0</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("Phát sinh", html, StringComparison.Ordinal);
        Assert.Contains("Reported", await Render<TrendChart>(new() { ["Months"] = Year() }, "en"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_year_with_nothing_says_so_instead_of_an_empty_chart()
    {
        var empty = Enumerable.Range(0, 12).Select(i => new MonthCount(new DateOnly(2025, 12, 1).AddMonths(i), 0, 0)).ToList();
        var html = await Render<TrendChart>(new() { ["Months"] = empty });
        Assert.Contains("data-trend-empty", html, StringComparison.Ordinal);
        Assert.Contains("Chưa có điểm nào", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-trend-empty", await Render<TrendChart>(new() { ["Months"] = Year() }), StringComparison.Ordinal);
    }

    [GeneratedRegex("class=\"hs-bar-(?<kind>opened|resolved)\" x=\"[0-9]+\" y=\"[0-9]+\" width=\"8\" height=\"(?<h>[0-9]+)\"")]
    private static partial Regex BarHeights();

    private static WardStats Ward(string code, string name, int open) => new(code, name, "phuong", 3.2, null, "90d", DateTimeOffset.UnixEpoch,
        new Dictionary<string, CategoryStats>
        {
            ["flooding"] = new(open + 5, 1, 1, 1, 5, 0, open, open / 2, 4, 12.5),
            ["congestion"] = new(7, 7, 0, 0, 0, 0, 7, 0, 0, null),
        },
        new CategoryStats(0, 0, 0, 0, 0, 0, 0, 0, 0, null));

    [Fact]
    public async Task Two_wards_compare_layer_by_layer_with_zero_for_what_a_ward_lacks()
    {
        var html = await Render<WardCompare>(new() { ["A"] = Ward("00004", "Ba Đình", 8), ["B"] = Ward("00008", "Ngọc Hà", 3) });
        Assert.Contains("data-compare=\"00004,00008\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-compare-for=\"flooding\"><th scope=\"row\">Úng ngập</th><td>8</td><td>4</td><td>4</td><td>3</td><td>1</td><td>4</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-compare-for=\"food-safety\"><th scope=\"row\">An toàn thực phẩm</th><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("Ba Đình", html, StringComparison.Ordinal);
        Assert.Contains("Ngọc Hà", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_time_slider_spans_the_chosen_period_week_by_week()
    {
        // A year of weekly frames plays in at most 20 s.
        Assert.True(new ReplayControl().FrameInterval * 53 <= TimeSpan.FromSeconds(20));
        var state = DashboardState.Default with { From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 3, 31), At = new DateOnly(2025, 2, 12) };
        var html = await Render<ReplayControl>(new() { ["State"] = state });
        Assert.Contains("max=\"13\"", html, StringComparison.Ordinal);   // 89 days → 13 weekly steps
        Assert.Contains("value=\"6\"", html, StringComparison.Ordinal);  // 12 Feb is 6 weeks in
        Assert.Contains("data-replay-day=\"2025-02-12\">12/02/2025</output>", html, StringComparison.Ordinal);
        Assert.Contains("▶ Phát", html, StringComparison.Ordinal);
        var off = await Render<ReplayControl>(new() { ["State"] = DashboardState.Default }, "en");
        Assert.DoesNotContain("replay-day", off, StringComparison.Ordinal);
        Assert.Contains("Replay by day", off, StringComparison.Ordinal);
    }
}
