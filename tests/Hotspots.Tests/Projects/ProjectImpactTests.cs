using Hotspots.Projects;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Projects;

/// <summary>A project's hotspots before, during and after its works, counted by Hanoi month at the months' edges.</summary>
[Trait("Category", "Database")]
public sealed class ProjectImpactTests
{
    private sealed class At(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }

    [Fact]
    public async Task Records_near_a_project_are_counted_by_month_and_phase_at_the_months_edges()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        // A road along 21.000 N from 105.80 to 105.82, works from 10 March 2025, finished (100 %) on 20 May 2025.
        await db.ExecAsync("""
            INSERT INTO projects (id, name, name_en, kind, source, geom, progress_pct, start_date, planned_end)
            VALUES ('r', 'Đường thử', 'Test road', 'ring_road', 'test', ST_GeomFromText('LINESTRING(105.80 21.00, 105.82 21.00)', 4326), 100, '2025-03-10', '2025-05-20')
            """);
        // Congestion 200 m north of the road (inside the 500 m corridor) unless said; Hanoi times.
        await Add(db, "feb-last", "congestion", "2025-02-28 23:59+07");        // before (the last minute of February)
        await Add(db, "mar-first", "congestion", "2025-03-01 00:00+07");       // the start's month: during
        await Add(db, "mar-utc", "congestion", "2025-02-28 17:30+00");         // 00:30 on 1 March in Hanoi: during
        await Add(db, "may", "flooding", "2025-05-31 12:00+07");               // the end's month: during
        await Add(db, "jun", "flooding", "2025-06-01 00:00+07");               // after
        await Add(db, "jun-far", "flooding", "2025-06-02 12:00+07", lat: 21.01);  // 1.1 km away: not counted
        await Add(db, "jun-rejected", "congestion", "2025-06-03 12:00+07", status: "rejected");

        var impact = (await new ProjectImpacts(db.DataSource, new At(new DateTimeOffset(2025, 7, 15, 9, 0, 0, TimeSpan.FromHours(7)))).OfAsync("r"))!;
        Assert.Equal((new DateOnly(2025, 3, 10), new DateOnly(2025, 5, 20)), (impact.Start!.Value, impact.Completed!.Value));
        Assert.Equal(new DateOnly(2023, 3, 1), impact.Months[0].Month);  // 24 months before the start's month
        Assert.Equal(new DateOnly(2025, 7, 1), impact.Months[^1].Month); // to this month
        int Count(int y, int m, string layer) => impact.Months.Single(x => x.Month == new DateOnly(y, m, 1)).Counts[layer];
        string Phase(int y, int m) => impact.Months.Single(x => x.Month == new DateOnly(y, m, 1)).Phase;
        Assert.Equal((1, "before"), (Count(2025, 2, "congestion"), Phase(2025, 2)));
        Assert.Equal((2, "during"), (Count(2025, 3, "congestion"), Phase(2025, 3)));
        Assert.Equal((1, "during"), (Count(2025, 5, "flooding"), Phase(2025, 5)));
        Assert.Equal((1, "after"), (Count(2025, 6, "flooding"), Phase(2025, 6)));
        Assert.Equal(0, Count(2025, 6, "congestion"));
        // Months per phase and the monthly averages: 24 before, March–May during, June–July after.
        var phases = impact.Phases.ToDictionary(p => p.Phase);
        Assert.Equal((24, 3, 2), (phases["before"].Months, phases["during"].Months, phases["after"].Months));
        Assert.Equal(Math.Round(1 / 24.0, 2), phases["before"].PerMonth["congestion"]);
        Assert.Equal(Math.Round(2 / 3.0, 2), phases["during"].PerMonth["congestion"]);
        Assert.Equal(0.5, phases["after"].PerMonth["flooding"]);

        Assert.Equal("undated", ProjectImpacts.PhaseOf(new DateOnly(2025, 1, 1), null, null));
        Assert.Equal("during", ProjectImpacts.PhaseOf(new DateOnly(2030, 1, 1), new DateOnly(2025, 3, 10), null)); // not finished: still during
        Assert.Null(await new ProjectImpacts(db.DataSource, TimeProvider.System).OfAsync("none"));
    }

    private static Task Add(MigratedDatabase db, string key, string category, string at, double lat = 21.0018, string status = "reported") =>
        db.ExecAsync("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES (@category, @key, 3, @status, @at::timestamptz, ST_SetSRID(ST_MakePoint(105.81, @lat), 4326), 'test', @key)
            """, ("category", category), ("key", key), ("status", status), ("at", at), ("lat", lat));
}
