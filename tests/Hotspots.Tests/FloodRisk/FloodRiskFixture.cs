using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.FloodRisk;

/// <summary>
/// A hand-worked fixture: two gauges 0.1° apart, five days of rain, two flood points and five observations.
/// <code>
/// rain (mm)     G1 (105.80)   G2 (105.90)
/// 2024-07-01        80            10
/// 2024-07-02        40           120
/// 2024-07-03         0.5           0
/// 2025-07-01        60             —
/// 2025-07-05       600 (suspect)  30
///
/// P1 plan point (50–70 mm), 100 m east of G1, ward 00001     P2 a recorded flood point beside G2, ward 00002,
///   reported 2024-07-02 00:30 Hanoi time (so it floods that day)
/// O1  60 m from P1, 2024-07-01 20:00       O2 120 m from P1, 2025-07-01       O3 at P1, 2024-07-03 (0.5 mm: not rain)
/// O4 far from both, 2024-07-01 23:30        O5 320 m from P1, 2024-07-01 (too far to be P1's)
/// </code>
/// </summary>
public static class FloodRiskFixture
{
    public static async Task<MigratedDatabase> CreateAsync()
    {
        var db = await MigratedDatabase.CreateAsync();
        await db.ExecAsync("""
            INSERT INTO rain_gauges (id, name, ward_code, geom, source) VALUES
                (1, 'Trạm một', '00001', ST_SetSRID(ST_MakePoint(105.80, 21.00), 4326), 'test'),
                (2, 'Trạm hai', '00002', ST_SetSRID(ST_MakePoint(105.90, 21.00), 4326), 'test');
            INSERT INTO rain_daily (gauge_id, day, rain_mm, suspect, source) VALUES
                (1, '2024-07-01', 80, false, 'test'), (2, '2024-07-01', 10, false, 'test'),
                (1, '2024-07-02', 40, false, 'test'), (2, '2024-07-02', 120, false, 'test'),
                (1, '2024-07-03', 0.5, false, 'test'), (2, '2024-07-03', 0, false, 'test'),
                (1, '2025-07-01', 60, false, 'test'),
                (1, '2025-07-05', 600, true, 'test'), (2, '2025-07-05', 30, false, 'test');
            """);
        // Metres east of a point at 21°N: 1° of longitude is 103.9 km there.
        await Add(db, "P1", "flood_point", "official:test", 105.80 + 100 / 103_900.0, "2026-01-01 08:00+07", "00001", "scenario_50_70mm");
        await Add(db, "P2", "flood_point", "test", 105.90, "2024-07-02 00:30+07", "00002", null);
        await Add(db, "O1", null, "test", 105.80 + 160 / 103_900.0, "2024-07-01 20:00+07", "00001", null);
        await Add(db, "O2", null, "test", 105.80 + 220 / 103_900.0, "2025-07-01 09:00+07", "00001", null);
        await Add(db, "O3", null, "test", 105.80 + 100 / 103_900.0, "2024-07-03 09:00+07", "00001", null);
        await Add(db, "O4", null, "test", 105.85, "2024-07-01 23:30+07", "00003", null);
        await Add(db, "O5", null, "test", 105.80 + 420 / 103_900.0, "2024-07-01 10:00+07", "00001", null);
        return db;
    }

    private static async Task Add(MigratedDatabase db, string key, string? subtype, string source, double lon, string at, string ward, string? scenario)
    {
        await db.ExecAsync("""
            WITH h AS (
                INSERT INTO hotspots (category, subtype, title, severity, reported_at, geom, ward_code, source, external_id)
                VALUES ('flooding', @subtype, @key, 3, @at::timestamptz, ST_SetSRID(ST_MakePoint(@lon, 21.00), 4326), @ward, @source, @key)
                RETURNING id)
            INSERT INTO flooding_details (hotspot_id, rain_scenario) SELECT id, @scenario FROM h
            """, ("key", key), ("subtype", (object?)subtype ?? DBNull.Value), ("source", source), ("lon", lon), ("at", at), ("ward", ward),
            ("scenario", (object?)scenario ?? DBNull.Value));
    }

    public static Task<long> IdAsync(MigratedDatabase db, string key) => db.ScalarAsync<long>("SELECT id FROM hotspots WHERE external_id = @k", ("k", key));
}
