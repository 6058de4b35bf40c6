using System.Globalization;
using Bunit;
using Hotspots.Components.Shared;
using Hotspots.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Components;

/// <summary>
/// Components driven as a person would — typing, clicking — with bunit: what they show and what they raise. (The
/// markup-only tests use HtmlRenderer; a real browser is left to Playwright.)
/// </summary>
[Trait("Category", "Unit")]
public sealed class ComponentTests : IDisposable
{
    private readonly BunitContext _ctx = new();
    private readonly CultureInfo _culture = CultureInfo.CurrentUICulture;

    public ComponentTests()
    {
        _ctx.Services.AddLocalization();
        _ctx.Services.AddSingleton(TimeProvider.System); // the replay reads today only when no period is chosen
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi");
    }

    public void Dispose()
    {
        _ctx.Dispose();
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = _culture;
    }

    [Fact]
    public void A_day_typed_the_Vietnamese_way_is_read_shown_back_and_raised()
    {
        DateOnly? raised = null;
        var cut = _ctx.Render<DateField>(p => p.Add(x => x.Id, "from").Add(x => x.ValueChanged, d => raised = d));
        Assert.Equal("ngày/tháng/năm", cut.Find("#from").GetAttribute("placeholder"));
        cut.Find("#from").Change("5/3/2026");
        Assert.Equal(new DateOnly(2026, 3, 5), raised);
        Assert.Equal("05/03/2026", cut.Find("#from").GetAttribute("value"));
        Assert.Null(cut.Find("#from").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void A_day_that_cannot_be_read_keeps_the_last_good_one_and_says_so()
    {
        var calls = 0;
        var cut = _ctx.Render<DateField>(p => p.Add(x => x.Id, "to").Add(x => x.Value, new DateOnly(2026, 1, 31)).Add(x => x.ValueChanged, _ => calls++));
        Assert.Equal("31/01/2026", cut.Find("#to").GetAttribute("value"));
        cut.Find("#to").Change("12/31/2026"); // month first: not a Vietnamese date
        Assert.Equal(0, calls);
        Assert.Equal("true", cut.Find("#to").GetAttribute("aria-invalid"));
        Assert.Contains("ngày/tháng/năm", cut.Find("#to").GetAttribute("title"), StringComparison.Ordinal);
        // Emptied: the filter is lifted.
        DateOnly? raised = new DateOnly(2000, 1, 1);
        var cleared = _ctx.Render<DateField>(p => p.Add(x => x.Id, "to2").Add(x => x.Value, new DateOnly(2026, 1, 31)).Add(x => x.ValueChanged, d => raised = d));
        cleared.Find("#to2").Change("");
        Assert.Null(raised);
    }

    [Fact]
    public void The_native_picker_sends_iso_and_the_field_shows_it_the_Vietnamese_way()
    {
        DateOnly? raised = null;
        var cut = _ctx.Render<DateField>(p => p.Add(x => x.Id, "d").Add(x => x.ValueChanged, d => raised = d));
        cut.Find("input[type=date]").Change("2026-07-09");
        Assert.Equal(new DateOnly(2026, 7, 9), raised);
        Assert.Equal("09/07/2026", cut.Find("#d").GetAttribute("value"));
    }

    [Fact]
    public void Replay_steps_a_week_at_a_time_and_cannot_step_past_either_end()
    {
        var days = new List<DateOnly?>();
        var state = DashboardState.Default with { From = new DateOnly(2026, 1, 1), To = new DateOnly(2026, 3, 1), At = new DateOnly(2026, 1, 1) };
        var cut = _ctx.Render<ReplayControl>(p => p.Add(x => x.State, state).Add(x => x.Changed, d => days.Add(d)));
        Assert.True(cut.Find("#replay-back").HasAttribute("disabled")); // the first day: nothing before it
        Assert.Equal("01/01/2026", cut.Find("output[data-replay-day]").TextContent);
        cut.Find("#replay-next").Click();
        Assert.Equal(new DateOnly(2026, 1, 8), days[^1]);

        cut.Render(p => p.Add(x => x.State, state with { At = new DateOnly(2026, 3, 1) }));
        Assert.True(cut.Find("#replay-next").HasAttribute("disabled")); // the last day
        cut.Find("#replay-back").Click();
        Assert.Equal(new DateOnly(2026, 2, 26), days[^1]);

        cut.Find("#replay-on").Change(false); // switched off: the map is today's again
        Assert.Null(days[^1]);
    }
}
