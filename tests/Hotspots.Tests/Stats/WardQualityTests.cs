using Hotspots.Stats;
using Hotspots.Tests.Infrastructure;
using Npgsql;

namespace Hotspots.Tests.Stats;

/// <summary>A ward's data quality with every part worked out by hand.</summary>
[Trait("Category", "Database")]
public sealed class WardQualityTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Correct_complete_clean_and_live_are_counted_record_by_record_and_make_the_score()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await BoundaryFixture.LoadThreeSquaresAsync(db.DataSource);
        // In the west square 90001 (105.80–105.81, 21.00–21.01), congestion, as of 1 June 2026 (live: touched since 3 March):
        var a = await Add(db, "A", "reported", "junction", "CA", "2026-06-10", "volume", 105.805, "2026-05-20", "2026-05-20", "2026-05-25", null);
        await Add(db, "B", "reported", "junction", null, null, "volume", 105.805, "2026-01-01", "2026-01-01", "2026-01-01", null);  // A's place and kind; no unit
        await Add(db, "C", "resolved", "road_section", "CA", null, null, 105.802, "2026-04-01", "2026-04-01", "2026-04-02", null,
            resolvedAt: "2026-03-01");                                                                                     // resolved before reported; no cause
        await Add(db, "D", "rejected", "junction", "CA", null, "volume", 105.806, "2026-05-20", "2026-05-20", "2026-05-21", null, duplicateOf: a);
        await Add(db, "E", "rejected", "junction", "CA", null, "volume", 105.807, "2026-05-20", "2026-05-20", "2026-05-21", null);  // rejected: not counted
        await Add(db, "F", "verified", "junction", "CA", "2026-06-30", "works", 105.815, "2026-01-10", "2026-01-10", "2026-01-15", "2026-05-30",
            ward: "90001");                                                                                                // its point is in 90002

        await using (var cmd = db.DataSource.CreateCommand(WardQualitySql.Rebuild))
        {
            cmd.Parameters.AddWithValue("now", Now.ToUniversalTime());
            await cmd.ExecuteNonQueryAsync();
        }
        var west = await ReadAsync(db, "90001", "congestion");
        // records A B C D F; correct A B D; complete A D F; repeats: D marked, B repeats A; open A B F, live A F; untouched B.
        Assert.Equal(new QualityParts(5, 3, 3, 2, 3, 2, 1), west);
        Assert.Equal((60.0, 60.0, 60.0, 66.7), (west.CorrectPct!.Value, west.CompletePct!.Value, west.CleanPct!.Value, west.LivePct!.Value));
        Assert.Equal(62, west.Score); // (60 + 60 + 60 + 66.7) / 4
        Assert.Equal(west, await ReadAsync(db, "90001", "all"));
        var east = await ReadAsync(db, "90002", "all");
        Assert.Equal(new QualityParts(0, 0, 0, 0, 0, 0, 0), east);
        Assert.Null(east.Score);
        Assert.Equal(3 * 6, await db.ScalarAsync<long>("SELECT count(*) FROM ward_quality"));
    }

    private static async Task<long> Add(MigratedDatabase db, string key, string status, string subtype, string? unit, string? deadline, string? cause,
        double lon, string reported, string created, string updated, string? verified, string? resolvedAt = null, long? duplicateOf = null, string? ward = null)
    {
        var id = await db.ScalarAsync<long>("""
            INSERT INTO hotspots (category, subtype, title, severity, status, responsible_unit, deadline, reported_at, created_at, updated_at,
                                  verified_at, resolved_at, ward_code, geom, source, external_id)
            VALUES ('congestion', @subtype, @key, 3, @status, @unit, @deadline::date, (@reported || ' 09:00+07')::timestamptz,
                    (@created || ' 09:00+07')::timestamptz, (@updated || ' 09:00+07')::timestamptz, (@verified || ' 09:00+07')::timestamptz,
                    (@resolved || ' 09:00+07')::timestamptz, @ward, ST_SetSRID(ST_MakePoint(@lon, 21.005), 4326), 'test', @key)
            RETURNING id
            """, ("key", key), ("status", status), ("subtype", subtype), ("unit", (object?)unit ?? DBNull.Value), ("deadline", (object?)deadline ?? DBNull.Value),
            ("reported", reported), ("created", created), ("updated", updated), ("verified", (object?)verified ?? DBNull.Value),
            ("resolved", (object?)resolvedAt ?? (status == "resolved" ? reported : DBNull.Value)), ("ward", (object?)ward ?? DBNull.Value), ("lon", lon));
        await db.ExecAsync("INSERT INTO congestion_details (hotspot_id, cause) VALUES (@id, @cause)", ("id", id), ("cause", (object?)cause ?? DBNull.Value));
        if (duplicateOf is { } original)
        {
            await db.ExecAsync("UPDATE hotspots SET duplicate_of = @o WHERE id = @id", ("o", original), ("id", id));
        }
        return id;
    }

    private static async Task<QualityParts> ReadAsync(MigratedDatabase db, string ward, string category)
    {
        await using var cmd = db.DataSource.CreateCommand(
            "SELECT records, correct, complete, duplicates, open, live, untouched FROM ward_quality WHERE ward_code = @w AND category = @c");
        cmd.Parameters.AddWithValue("w", ward);
        cmd.Parameters.AddWithValue("c", category);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return new QualityParts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6));
    }
}
