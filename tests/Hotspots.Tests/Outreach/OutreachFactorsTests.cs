using Hotspots.Calendar;
using Hotspots.Outreach;
using Hotspots.Tests.Infrastructure;
using Hotspots.Wards;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hotspots.Tests.Outreach;

/// <summary>The factor SQL against PostGIS on a fixture whose every number is worked out by hand, as of a quarter's end.</summary>
[Trait("Category", "Database")]
public sealed class OutreachFactorsTests : IAsyncLifetime
{
    private MigratedDatabase _db = null!;
    private static readonly Quarter Q3 = new(2026, 3);
    private static readonly DateTimeOffset End = Q3.EndInstant; // 2026-10-01 00:00 +07

    public async Task InitializeAsync()
    {
        _db = await MigratedDatabase.CreateAsync();
        await BoundaryFixture.LoadThreeSquaresAsync(_db.DataSource);
        // Every deadline below is written by hand: a record without one has none (no default deadlines by kind here).
        await _db.ExecAsync("DELETE FROM deadline_defaults");
        // West (90001): 105.805 21.005; east (90002): 105.815 21.005; north (90003): 105.805 21.015.
        await HotspotAsync("w-old", "flooding", 4, End.AddDays(-365), "reported", deadline: "2026-09-20", at: "105.805 21.005");   // 4 × 2 = 8, overdue
        await HotspotAsync("w-new", "flooding", 2, End.AddDays(-73), "verified", at: "105.805 21.005");                          // 2 × 1.2 = 2.4
        await HotspotAsync("w-done", "flooding", 5, End.AddDays(-100), "resolved", resolved: End.AddDays(-50), at: "105.805 21.005");
        await HotspotAsync("w-rej", "flooding", 5, End.AddDays(-100), "rejected", at: "105.805 21.005");
        await _db.ExecAsync("UPDATE hotspots SET closed_at = @at WHERE external_id = 'w-rej'", ("at", End.AddDays(-90))); // rejected within the quarter
        await HotspotAsync("w-rej-later", "flooding", 1, End.AddDays(-1), "rejected", at: "105.805 21.005");              // rejected only now: open then, 1 × (1 + 1/365)
        await HotspotAsync("w-later", "flooding", 3, End.AddDays(5), "reported", at: "105.805 21.005");                         // after the quarter
        await HotspotAsync("w-closed-later", "flooding", 1, End.AddDays(-146), "resolved", resolved: End.AddDays(3), at: "105.805 21.005"); // open then: 1 × 1.4
        await HotspotAsync("e-cong", "congestion", 5, End.AddDays(-182.5), "in_progress", deadline: "2026-10-10", at: "105.815 21.005"); // 7.5, not overdue
        var back = await HotspotAsync("e-back", "congestion", 1, End.AddDays(-219), "reported", at: "105.815 21.005");              // 1.6, came back
        await _db.ExecAsync("""
            INSERT INTO hotspot_status_history (hotspot_id, changed_at, changed_by, from_status, to_status)
            VALUES (@id, @a, 't', 'reported', 'resolved'), (@id, @b, 't', 'resolved', 'reported')
            """, ("id", back), ("a", End.AddDays(-60)), ("b", End.AddDays(-20)));
        await InspectionAsync("e-fail", End.AddDays(-30), "fail", "reported");   // open: 3 × (1 + 30/365)
        await InspectionAsync("e-pass", End.AddDays(-200), "pass", "resolved");
        await InspectionAsync("e-fail-old", End.AddDays(-400), "fail", "resolved"); // older than 12 months
        for (var i = 0; i < 4; i++)
        {
            await ReportAsync($"n{i}", "flooding", End.AddDays(-10 - i), i == 0 ? "new" : "linked");
        }
        await ReportAsync("n-old", "flooding", End.AddDays(-100), "new");
        await ReportAsync("n-other", "other", End.AddDays(-5), "new");
        // A project across east and north: 40 points of land still to clear in each, 100 × 40 % households shared by 2.
        await _db.ExecAsync("""
            INSERT INTO projects (id, name, name_en, kind, source, geom, progress_pct, land_clearance_pct, households_to_resettle, start_date)
            VALUES ('p', 'p', 'p', 'ring_road', 'test', ST_GeomFromText('LINESTRING(105.815 21.005, 105.815 21.009, 105.805 21.015)', 4326), 50, 60, 100, '2025-01-01'),
                   ('done', 'd', 'd', 'ring_road', 'test', ST_GeomFromText('LINESTRING(105.805 21.015, 105.806 21.016)', 4326), 100, 100, 900, '2020-01-01')
            """);
        await using var cmd = _db.DataSource.CreateCommand(OutreachFactorsSql.Compute);
        cmd.Parameters.AddWithValue("as_of", new[] { End });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("clock", null)); // a quarter's end, not now
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<long> HotspotAsync(string id, string category, int severity, DateTimeOffset reported, string status,
        string? deadline = null, DateTimeOffset? resolved = null, string at = "105.805 21.005") =>
        await _db.ScalarAsync<long>($"""
            INSERT INTO hotspots (category, title, severity, status, reported_at, resolved_at, deadline, geom, source, external_id)
            VALUES (@category, 't', @severity, @status, @reported, @resolved, @deadline::date, ST_GeomFromText('POINT({at})', 4326), 'test', @id)
            RETURNING id
            """, ("category", category), ("severity", (short)severity), ("status", status), ("reported", reported),
            ("resolved", (object?)resolved ?? DBNull.Value), ("deadline", (object?)deadline ?? DBNull.Value), ("id", id));

    private async Task InspectionAsync(string id, DateTimeOffset day, string result, string status)
    {
        var hotspot = await HotspotAsync(id, "food_safety", 3, day, status, resolved: status == "resolved" ? day : null, at: "105.815 21.005");
        await _db.ExecAsync("""
            INSERT INTO food_safety_inspections (hotspot_id, establishment_kind, inspection_date, result)
            VALUES (@id, 'restaurant', (@day AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, @result)
            """, ("id", hotspot), ("day", day), ("result", result));
    }

    private Task ReportAsync(string id, string category, DateTimeOffset received, string status) => _db.ExecAsync("""
        INSERT INTO field_reports (category, text, status, received_at, geom, source, external_id)
        VALUES (@category, 'x', @status, @received, ST_GeomFromText('POINT(105.805 21.015)', 4326), 'test', @id)
        """, ("category", category), ("status", status), ("received", received), ("id", id));

    private async Task<Dictionary<(string, string), FactorRow>> RowsAsync()
    {
        await using var cmd = _db.DataSource.CreateCommand("""
            SELECT ward_code, category, open_count, open_weighted, overdue, recurrence, inspections, inspection_fails,
                   reports, reports_unanswered, clearance_todo, households, active_works
            FROM outreach_factors WHERE as_of = @at
            """);
        cmd.Parameters.AddWithValue("at", End);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new Dictionary<(string, string), FactorRow>();
        while (await r.ReadAsync())
        {
            var row = new FactorRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6),
                r.GetInt32(7), r.GetInt32(8), r.GetInt32(9), r.GetDouble(10), r.GetDouble(11), r.GetInt32(12));
            rows[(row.WardCode, row.Category)] = row;
        }
        return rows;
    }

    [Fact]
    public async Task Open_records_nobody_touched_for_90_days_are_data_that_is_not_live()
    {
        // w-old was last touched when reported (365 days before the end): not live; w-new 73 days before: live.
        await _db.ExecAsync("UPDATE hotspots SET updated_at = reported_at WHERE external_id IN ('w-old', 'w-new', 'w-rej-later', 'w-closed-later')");
        await _db.ExecAsync("DELETE FROM outreach_factors");
        await using (var cmd = _db.DataSource.CreateCommand(OutreachFactorsSql.Compute))
        {
            cmd.Parameters.AddWithValue("as_of", new[] { End });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("clock", null));
            await cmd.ExecuteNonQueryAsync();
        }
        await using var read = _db.DataSource.CreateCommand("SELECT stale FROM outreach_factors WHERE as_of = @at AND ward_code = '90001' AND category = 'flooding'");
        read.Parameters.AddWithValue("at", End);
        // Open at the end: w-old (365 days untouched), w-new (73), w-rej-later (1), w-closed-later (146): two not live.
        Assert.Equal(2, (int)(await read.ExecuteScalarAsync())!);
        var row = new FactorRow("90001", "flooding", 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) { Stale = 2 };
        var raw = OutreachScoring.RawValues(new OutreachWard("90001", "Tây", "Phường Tây", "x", 1, null), [row], ["flooding"]);
        Assert.Equal(50.0, raw[OutreachFactor.All.ToList().FindIndex(f => f.Id == "stale_share")]); // 2 of 4 open
        Assert.Equal(0, OutreachFactor.Find("stale_share")!.DefaultWeight); // weighed only when a planner chooses to
    }

    [Fact]
    public async Task Open_problems_are_weighted_by_severity_and_age_as_of_the_quarter_end()
    {
        var rows = await RowsAsync();
        var west = rows[("90001", "flooding")];
        Assert.Equal(4, west.OpenCount); // old, new, and the two closed only after the quarter
        Assert.Equal(8 + 2.4 + 1.4 + (1 + 1 / 365.0), west.OpenWeighted, 6);
        Assert.Equal(1, west.Overdue);
        var east = rows[("90002", "congestion")];
        Assert.Equal(2, east.OpenCount);
        // Ages are whole Hanoi days: 182.5 days before midnight is 183 calendar days.
        Assert.Equal(5 * (1 + 183 / 365.0) + 1 * (1 + 219 / 365.0), east.OpenWeighted, 6);
        Assert.Equal(0, east.Overdue);
        Assert.Equal(1, east.Recurrence);
    }

    [Fact]
    public async Task Food_safety_counts_inspections_of_the_last_twelve_months()
    {
        var food = (await RowsAsync())[("90002", "food_safety")];
        Assert.Equal((2, 1), (food.Inspections, food.InspectionFails));
        Assert.Equal(1, food.OpenCount);
        Assert.Equal(3 * (1 + 30 / 365.0), food.OpenWeighted, 6);
    }

    [Fact]
    public async Task Field_reports_of_the_last_90_days_and_those_unanswered()
    {
        var rows = await RowsAsync();
        Assert.Equal((4, 1), (rows[("90003", "flooding")].Reports, rows[("90003", "flooding")].ReportsUnanswered));
        Assert.Equal((1, 1), (rows[("90003", "other")].Reports, rows[("90003", "other")].ReportsUnanswered));
    }

    [Fact]
    public async Task Project_pressure_is_shared_by_the_wards_a_project_crosses()
    {
        var rows = await RowsAsync();
        foreach (var ward in new[] { "90002", "90003" })
        {
            var p = rows[(ward, "projects")];
            Assert.Equal((40.0, 20.0, 1), (p.ClearanceTodo, p.Households, p.ActiveWorks));
        }
        Assert.False(rows.ContainsKey(("90001", "projects")));
    }

    [Fact]
    public async Task The_fixture_ranks_as_worked_out_by_hand()
    {
        var wards = new OutreachWard[] { new("90001", "Tây", "Phường Tây", "x", 1, null), new("90002", "Đông", "Phường Đông", "x", 1, null), new("90003", "Bắc", "Xã Bắc", "x", 1, null) };
        var weights = OutreachFactor.All.ToDictionary(f => f.Id, f => f.Id switch { "open_weighted" => 2.0, "reports" => 1.0, "clearance_todo" => 1.0, _ => 0 });
        var ranking = OutreachScoring.Rank(wards, (await RowsAsync()).Values, weights, OutreachFactor.Categories).ToDictionary(w => w.Code);
        // open_weighted: west 11.8 + 1.0027, east 7.507 + 1.6 + 3.2466 = 12.354, north 0 → west 12.8027 / 12.354 > 1: west is the highest now.
        // reports: 0, 0, 5 (all layers chosen, so 'other' counts) → 0, 0, 1. clearance: 0, 40, 40 → 0, 1, 1.
        var eastWeighted = 5 * (1 + 183 / 365.0) + (1 + 219 / 365.0) + 3 * (1 + 30 / 365.0); // ages in whole days
        var westWeighted = 11.8 + (1 + 1 / 365.0);
        Assert.Equal(100 * 0.5, ranking["90001"].Score, 3);
        Assert.Equal(100 * (0.5 * eastWeighted / westWeighted + 0.25), ranking["90002"].Score, 3);
        Assert.Equal(100 * (0.25 + 0.25), ranking["90003"].Score, 3);
        // east 0.5 × 0.964 + 0.25 = 73.2; north 50 and west 50 tie → by code.
        Assert.Equal([1, 2, 3], new[] { ranking["90002"].Rank, ranking["90001"].Rank, ranking["90003"].Rank });
    }
}
