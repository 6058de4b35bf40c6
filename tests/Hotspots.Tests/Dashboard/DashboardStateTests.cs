using FsCheck.Xunit;
using Hotspots.Dashboard;

namespace Hotspots.Tests.Dashboard;

[Trait("Category", "Unit")]
public sealed class DashboardStateTests
{
    [Property(MaxTest = 200)]
    public void A_view_survives_its_own_link(bool flooding, bool projects, int status, int severity, int data, int stat, bool ward, byte zoom, uint hotspot, byte outreach)
    {
        var state = new DashboardState(
            new[] { flooding ? "flooding" : null, "congestion", projects ? "projects" : null }.OfType<string>().ToArray(),
            DashboardState.StatusChoices[Math.Abs(status % DashboardState.StatusChoices.Length)],
            ward ? "00004" : null, 21.02345, 105.84321, 8 + zoom % 12,
            DashboardState.StatChoices[Math.Abs(stat % DashboardState.StatChoices.Length)],
            1 + Math.Abs(severity % 5),
            DashboardState.DataChoices[Math.Abs(data % DashboardState.DataChoices.Length)],
            new DateOnly(2025, 1, 1), null, ward ? null : "ring-road-1", Hotspot: hotspot == 0 ? null : hotspot,
            OutreachLayers: (outreach % 3) switch { 0 => null, 1 => "food-safety", _ => "flooding,urban-order" });
        var back = DashboardState.FromUri("http://x/?" + state.ToQuery());
        Assert.Equal(state.Layers, back.Layers);
        Assert.Equal(state with { Layers = back.Layers }, back);
    }

    [Fact]
    public void Bad_values_in_a_link_fall_back_to_defaults()
    {
        var s = DashboardState.FromUri("http://x/?layers=parks,flooding&status=done&ward=12&z=99&stat=x&sev=9&data=both&from=yesterday&project=<script>");
        Assert.Equal(new[] { "flooding" }, s.Layers);
        Assert.Equal("open", s.Status);
        Assert.Null(s.Ward);
        Assert.Equal(DashboardState.Default.Zoom, s.Zoom);
        Assert.Equal("none", s.Stat);
        Assert.Equal(1, s.MinSeverity);
        Assert.Equal("all", s.Data);
        Assert.Null(s.From);
        Assert.Null(s.Project);
        Assert.Null(DashboardState.FromUri("http://x/?ol=projects,nothing").OutreachLayers);
        // All five layers are the default, so the link does not repeat them.
        Assert.Null(DashboardState.FromUri("http://x/?ol=flooding,congestion,urban-order,environment,food-safety").OutreachLayers);
        Assert.Equal("flooding,food-safety", DashboardState.FromUri("http://x/?ol=food_safety,flooding").OutreachLayers);
    }

    [Fact]
    public void The_api_filter_is_what_the_tiles_get()
    {
        var s = DashboardState.Default with { Status = "resolved", Ward = "00004", MinSeverity = 4, Data = "real", From = new DateOnly(2025, 3, 1) };
        Assert.Equal("status=resolved&ward=00004&severity=4,5&sample=false&from=2025-03-01", s.ApiFilter);
    }
}
