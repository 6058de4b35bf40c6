using Hotspots.FloodRisk;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.FloodRisk;

/// <summary>Recurrence, thresholds and a past day's hit rate, on the fixture worked out by hand (<see cref="FloodRiskFixture"/>).</summary>
[Trait("Category", "Database")]
public sealed class FloodRiskTests
{
    [Fact]
    public async Task A_flood_points_days_rain_threshold_and_recurrence_are_read_from_the_gauge_nearest_it()
    {
        await using var db = await FloodRiskFixture.CreateAsync();
        var recurrence = new FloodRecurrence(db.DataSource);

        var p1 = (await recurrence.OfAsync(await FloodRiskFixture.IdAsync(db, "P1")))!;
        Assert.True(p1.IsPoint);
        Assert.Equal(50, p1.PlanMm);
        Assert.Equal([1, 2], p1.Gauges.Select(g => g.Id));
        Assert.Equal(100, p1.Gauges[0].Metres, 1.0);
        // O1, O3, O2 are within 150 m; O5 (320 m) is not. O3's 0.5 mm is no rain: it does not set the threshold.
        Assert.Equal([(new DateOnly(2024, 7, 1), 80m), (new DateOnly(2024, 7, 3), 0.5m), (new DateOnly(2025, 7, 1), 60m)],
            p1.Days.Select(d => (d.Day, d.RainMm!.Value)));
        Assert.Equal(2, p1.RainyDays);
        Assert.Equal(60m, p1.ObservedMm);
        Assert.Equal(60m, p1.ThresholdMm);
        // G1 reached 60 mm once in 2024 (80) and once in 2025 (60; the 600 mm day is suspect): once a year expected,
        // three floods over the two years seen.
        Assert.Equal(new Dictionary<int, int> { [2024] = 1, [2025] = 1 }, p1.ReachedByYear);
        Assert.Equal(1.0, p1.ExpectedPerYear);
        Assert.Equal(1.5, p1.ObservedPerYear);

        // P2 flooded the day it was reported, 00:30 on 2 July in Hanoi (17:30 UTC on the 1st): G2's 120 mm that day.
        var p2 = (await recurrence.OfAsync(await FloodRiskFixture.IdAsync(db, "P2")))!;
        Assert.Equal([(new DateOnly(2024, 7, 2), 120m, 2)], p2.Days.Select(d => (d.Day, d.RainMm!.Value, d.GaugeId!.Value)));
        Assert.Null(p2.PlanMm);
        Assert.Equal(0.5, p2.ExpectedPerYear); // 120 mm reached in 2024 only, of the two years G2 measured

        // An observation is linked to the rain of its own day at its place.
        var o4 = (await recurrence.OfAsync(await FloodRiskFixture.IdAsync(db, "O4")))!;
        Assert.False(o4.IsPoint);
        Assert.Equal([new DateOnly(2024, 7, 1)], o4.Days.Select(d => d.Day));
        Assert.Null(await recurrence.OfAsync(-1));
    }

    [Fact]
    public async Task A_past_days_hit_rate_judges_each_point_by_thresholds_learnt_from_the_other_days()
    {
        await using var db = await FloodRiskFixture.CreateAsync();
        var scenarios = new FloodScenario(db.DataSource, new Hotspots.Wards.WardDirectory(db.DataSource));
        var (p1, p2) = (await FloodRiskFixture.IdAsync(db, "P1"), await FloodRiskFixture.IdAsync(db, "P2"));

        var july1 = await scenarios.RunAsync(null, new DateOnly(2024, 7, 1));
        var a = july1.Points.Single(p => p.Id == p1);
        // 80 mm at G1: over the plan's 50 and over 60, the least rain that flooded P1 on the other days.
        Assert.Equal((80m, 1, 60m, true, true, true), (a.RainMm!.Value, a.GaugeId!.Value, a.ObservedMm!.Value, a.ByPlan, a.ByObserved, a.Flooded));
        var b = july1.Points.Single(p => p.Id == p2);
        Assert.Equal((10m, 120m, false, false), (b.RainMm!.Value, b.ObservedMm!.Value, b.Expected, b.Flooded));
        // Seen that day: O1 (P1's), O4 and O5 (near no point). O4 at 23:30 Hanoi time is still the 1st.
        Assert.Equal(["O1", "O4", "O5"], july1.Observations.Select(o => o.Title).Order());
        Assert.Equal(new HitRate(1, 0, 2, 3), july1.Hits);
        Assert.Equal(1.0, july1.Hits!.Precision);
        Assert.Equal(1 / 3.0, july1.Hits.Recall!.Value, 6);
        var ward = Assert.Single(july1.Wards, w => w.Code == "00001");
        Assert.Equal((1, 1, 2, 80m), (ward.Expected, ward.ByPlan, ward.Observed, ward.RainMm));

        // 2 July: P2's only flood is that day, so it has no threshold of its own to be judged by — flooded, not expected.
        var july2 = await scenarios.RunAsync(null, new DateOnly(2024, 7, 2));
        Assert.Null(july2.Points.Single(p => p.Id == p2).ObservedMm);
        Assert.False(july2.Points.Single(p => p.Id == p1).Expected); // 40 mm: under 50 and under 60
        Assert.Equal(new HitRate(0, 0, 1, 1), july2.Hits);

        // A suspect value is not rain: G1's 600 mm is passed over for the next gauge's 30 mm.
        var suspect = await scenarios.RunAsync(null, new DateOnly(2025, 7, 5));
        Assert.Equal((30m, 2), (suspect.Points.Single(p => p.Id == p1).RainMm!.Value, suspect.Points.Single(p => p.Id == p1).GaugeId!.Value));
        Assert.True(suspect.Gauges.Single(g => g.Id == 1).Suspect);

        // No rain on record that day: nothing can be expected, and the answer says so.
        var dry = await scenarios.RunAsync(null, new DateOnly(2023, 1, 1));
        Assert.False(dry.RainKnown);
        Assert.DoesNotContain(dry.Points, p => p.Expected);
    }

    [Fact]
    public async Task A_daily_rain_everywhere_expects_the_points_whose_plan_or_observed_threshold_it_reaches()
    {
        await using var db = await FloodRiskFixture.CreateAsync();
        var scenarios = new FloodScenario(db.DataSource, new Hotspots.Wards.WardDirectory(db.DataSource));
        var (p1, p2) = (await FloodRiskFixture.IdAsync(db, "P1"), await FloodRiskFixture.IdAsync(db, "P2"));

        Assert.Equal([p1], (await scenarios.RunAsync(55, null)).Points.Where(p => p.Expected).Select(p => p.Id)); // plan 50; observed 60
        var seventy = (await scenarios.RunAsync(70, null)).Points.Single(p => p.Id == p1);
        Assert.True(seventy.ByPlan && seventy.ByObserved);
        var heavy = await scenarios.RunAsync(120, null);
        Assert.Equal([p1, p2], heavy.Points.Where(p => p.Expected).Select(p => p.Id));
        Assert.Null(heavy.Hits); // no day, nothing to compare with
        Assert.All(heavy.Gauges, g => Assert.Equal(120m, g.Mm));
        Assert.DoesNotContain((await scenarios.RunAsync(49, null)).Points, p => p.Expected);
    }
}
