using System.Globalization;
using FsCheck.Xunit;
using Hotspots.Records;
using Hotspots.Map;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Hotspots.Tests.Records;

[Trait("Category", "Unit")]
public sealed class HotspotFilterTests
{
    private static IQueryCollection Query(params (string Key, string Value)[] pairs) =>
        new QueryCollection(pairs.ToDictionary(p => p.Key, p => new StringValues(p.Value)));

    [Property(MaxTest = 300)]
    public void Any_query_value_parses_or_names_its_parameter_and_never_throws(string? value, int which)
    {
        var keys = new[] { "bbox", "ward", "status", "severity", "subtype", "from", "to", "sample", "overdue" };
        var key = keys[Math.Abs(which % keys.Length)];
        var (filter, bad, reason) = HotspotFilter.Parse(Query((key, value ?? "")));
        Assert.True(filter is not null ^ bad is not null);
        if (bad is not null)
        {
            Assert.Equal(key, bad);
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }
    }

    [Theory]
    [InlineData("from", "0001-01-01")]
    [InlineData("to", "9999-12-31")]
    [InlineData("at", "9999-12-31")]
    [InlineData("at", "1899-12-31")]
    public void Days_at_the_ends_of_the_calendar_are_refused_naming_the_parameter(string key, string day)
    {
        // Hardening: these answered 500 on the public API, tiles, export and dashboard (the day's arithmetic overflowed).
        var (filter, bad, reason) = HotspotFilter.Parse(Query((key, day)));
        Assert.Null(filter);
        Assert.Equal(key, bad);
        Assert.Contains("1900-01-01", reason, StringComparison.Ordinal);
        Assert.NotNull(HotspotFilter.Parse(Query((key, "2200-12-31"))).Filter);
    }

    [Fact]
    public void A_deadline_level_is_its_own_filter_and_the_dashboard_keeps_it_in_its_link()
    {
        Assert.Equal(Escalation.Overdue, HotspotFilter.Parse(Query(("overdue", "true"))).Filter!.Level); // the older spelling
        Assert.Equal(Escalation.ThreeTimes, HotspotFilter.Parse(Query(("level", "overdue_3x"))).Filter!.Level);
        Assert.Null(HotspotFilter.Parse(Query(("status", "open"))).Filter!.Level);
        Assert.Equal("overdue", HotspotFilter.Parse(Query(("overdue", "soon"))).Parameter);
        Assert.Equal("level", HotspotFilter.Parse(Query(("level", "late"))).Parameter);
        var old = Hotspots.Dashboard.DashboardState.FromUri("http://x/?layers=flooding&status=open&od=1");
        Assert.Equal(Escalation.Overdue, old.Level);
        var state = Hotspots.Dashboard.DashboardState.FromUri("http://x/?layers=flooding&status=open&lv=due_soon");
        Assert.Contains("lv=due_soon", state.ToQuery(), StringComparison.Ordinal);
        Assert.Contains("level=due_soon", state.ApiFilter, StringComparison.Ordinal);
        Assert.Equal(Escalation.DueSoon, state.ToFilter().Level);
        Assert.False(Hotspots.Map.HotspotCells.CanServe(state.ToFilter())); // the pre-built cells cannot tell: the tiles read the records
    }

    [Property(MaxTest = 200)]
    public void A_well_formed_bbox_round_trips(double a, double b, double c, double d)
    {
        static double Clamp(double v, double lim) => double.IsFinite(v) ? Math.Clamp(v, -lim, lim) : 0;
        var (x1, x2) = (Math.Min(Clamp(a, 179), Clamp(c, 179)), Math.Max(Clamp(a, 179), Clamp(c, 179)) + 0.5);
        var (y1, y2) = (Math.Min(Clamp(b, 89), Clamp(d, 89)), Math.Max(Clamp(b, 89), Clamp(d, 89)) + 0.5);
        var text = string.Join(',', new[] { x1, y1, x2, y2 }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        var (filter, bad, _) = HotspotFilter.Parse(Query(("bbox", text)));
        Assert.Null(bad);
        Assert.Equal(new[] { x1, y1, x2, y2 }, filter!.Bbox);
    }

    [Fact]
    public void Open_expands_to_the_three_open_statuses()
    {
        var (filter, _, _) = HotspotFilter.Parse(Query(("status", "open,resolved")));
        Assert.Equal(new[] { "reported", "verified", "in_progress", "resolved" }, filter!.Statuses);
    }
}
