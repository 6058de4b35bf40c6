using Hotspots.Calendar;
using Hotspots.Records;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Hotspots.Geo;
using Npgsql;

namespace Hotspots.FloodPoints;

/// <summary>
/// The 15 flood points named in the city's flood-response plans (Plan 138/KH-UBND 2024, Decision
/// 2280/QĐ-UBND 2026), loaded as real, verified flooding hotspots. Re-loading updates them in place
/// (natural key: source + point_id), it never duplicates.
/// </summary>
public static partial class OfficialFloodPointLoader
{
    public const string Source = "official:hanoi-flood-points";

    public static async Task<int> LoadAsync(NpgsqlDataSource dataSource, string path, ILogger logger, CancellationToken ct = default)
    {
        var rows = Read(path);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var r in rows)
        {
            await using var cmd = new NpgsqlCommand($$"""
                WITH h AS (
                    {{HotspotDraft.InsertSql}}
                    ON CONFLICT (source, external_id) DO UPDATE SET title = excluded.title,
                        description = excluded.description, severity = excluded.severity, geom = excluded.geom,
                        updated_at = now()
                    RETURNING id, (xmax = 0) AS inserted),
                d AS (
                    INSERT INTO flooding_details (hotspot_id, depth_cm, drainage_basin, rain_scenario)
                    SELECT id, @depth, @basin, @scenario FROM h
                    ON CONFLICT (hotspot_id) DO UPDATE SET depth_cm = excluded.depth_cm,
                        drainage_basin = excluded.drainage_basin, rain_scenario = excluded.rain_scenario)
                INSERT INTO hotspot_status_history (hotspot_id, changed_at, changed_by, from_status, to_status, note)
                SELECT id, @reported_at, 'official-data', s.from_status, s.to_status, @ref
                FROM h, (VALUES (NULL, '{{HotspotStatus.Reported}}'), ('{{HotspotStatus.Reported}}', '{{HotspotStatus.Verified}}')) AS s(from_status, to_status)
                WHERE h.inserted
                """, conn, tx);
            var reported = HanoiTime.StartOf(new DateOnly(2024, 5, 4));
            new HotspotDraft("flooding", "flood_point", r.Name, $"{r.Street} — {r.Reference}", r.Scenario == "scenario_50_70mm" ? 4 : 3,
                HotspotStatus.Verified, "Công ty TNHH MTV Thoát nước Hà Nội", null, r.Lon, r.Lat, Source, r.Id,
                ReportedAt: reported, VerifiedAt: reported).Bind(cmd.Parameters);
            cmd.Parameters.AddWithValue("depth", (object?)r.DepthCm ?? DBNull.Value);
            cmd.Parameters.AddWithValue("basin", r.Basin);
            cmd.Parameters.AddWithValue("scenario", r.Scenario);
            cmd.Parameters.AddWithValue("ref", r.Reference);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        LogLoaded(logger, rows.Count, path);
        return rows.Count;
    }

    private sealed record FloodPoint(string Id, string Name, string Street, string Basin, string Scenario, int? DepthCm,
        double Lat, double Lon, string Reference);

    private static List<FloodPoint> Read(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        csv.Read();
        csv.ReadHeader();
        var rows = new List<FloodPoint>();
        var problems = new List<string>();
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            var lat = double.TryParse(csv.GetField("latitude"), CultureInfo.InvariantCulture, out var la) ? la : double.NaN;
            var lon = double.TryParse(csv.GetField("longitude"), CultureInfo.InvariantCulture, out var lo) ? lo : double.NaN;
            if (!HanoiExtent.Contains(lon, lat))
            {
                problems.Add($"row {line}: coordinates {lat},{lon} are not in Hanoi");
                continue;
            }
            var depth = int.TryParse(csv.GetField("typical_depth_cm"), out var d) ? d : (int?)null;
            rows.Add(new FloodPoint(csv.GetField("point_id")!, csv.GetField("point_name")!.Normalize(),
                csv.GetField("street_name")!.Normalize(), csv.GetField("drainage_basin")!, csv.GetField("rain_scenario")!,
                depth, lat, lon, csv.GetField("source_reference")!.Normalize()));
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} refused: " + string.Join("; ", problems));
        }
        return rows;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} official flood points from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, string path);
}
