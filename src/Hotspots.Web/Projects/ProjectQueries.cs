using Hotspots.Records;
using Hotspots.Layers;
using Npgsql;

namespace Hotspots.Projects;

public sealed record Milestone(long Id, string Name, DateOnly? Planned, DateOnly? Done);

public sealed record ProjectDetail(
    string Id, string Name, string NameEn, string Kind, string? Owner, DateOnly? Start, DateOnly? PlannedEnd,
    decimal? ProgressPct, decimal? LandClearancePct, int? Households, bool Approximate, bool IsSample,
    IReadOnlyList<Milestone> Milestones, IReadOnlyList<string> Wards, IReadOnlyDictionary<string, long> NearbyOpen);

/// <summary>A key project as its panel shows it, with the open hotspots within a distance of it.</summary>
public sealed class ProjectQueries(NpgsqlDataSource dataSource)
{
    public static readonly int[] Distances = [200, 500, 1000, 2000];

    /// <summary>Every project's name (Vietnamese, English) and extent (west, south, east, north), for the place search.</summary>
    public async Task<IReadOnlyList<(string Id, string Name, string NameEn, double[] Bbox)>> NamesAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, name, name_en, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM projects ORDER BY name");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(string, string, string, double[])>();
        while (await r.ReadAsync(ct))
        {
            list.Add((r.GetString(0), r.GetString(1), r.GetString(2), [r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6)]));
        }
        return list;
    }

    public async Task<ProjectDetail?> FindAsync(string id, int distanceMetres, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        ProjectDetail? p = null;
        await using (var cmd = new NpgsqlCommand("""
            SELECT id, name, name_en, kind, owner, start_date, planned_end, progress_pct, land_clearance_pct,
                   households_to_resettle, approximate, is_sample
            FROM projects WHERE id = @id
            """, conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }
            p = new ProjectDetail(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6),
                r.IsDBNull(7) ? null : r.GetDecimal(7), r.IsDBNull(8) ? null : r.GetDecimal(8), r.IsDBNull(9) ? null : r.GetInt32(9),
                r.GetBoolean(10), r.GetBoolean(11), [], [], new Dictionary<string, long>());
        }
        var milestones = new List<Milestone>();
        await using (var cmd = new NpgsqlCommand("SELECT id, name, planned_date, done_date FROM project_milestones WHERE project_id = @id ORDER BY planned_date, id", conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                milestones.Add(new Milestone(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3)));
            }
        }
        var wards = new List<string>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT w.full_name FROM project_wards pw JOIN current_wards w ON w.code = pw.ward_code
            WHERE pw.project_id = @id ORDER BY w.full_name
            """, conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                wards.Add(r.GetString(0));
            }
        }
        // Metres on the ground: geography distance, with a bounding-box prefilter the spatial index (Web Mercator)
        // can use — a Mercator metre is 1/cos(latitude) of a ground metre, 1.07 at Hanoi, so 1.5× is generous.
        var nearby = new Dictionary<string, long>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT h.category, count(*)
            FROM projects p
            JOIN hotspots h ON h.geom_web && ST_Expand(p.geom_web, @d * 1.5)
                           AND ST_DWithin(h.geom::geography, p.geom::geography, @d)
            WHERE p.id = @id AND h.status IN ({HotspotStatus.OpenSql})
            GROUP BY h.category
            """, conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("d", (double)distanceMetres);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                nearby[LayerCatalog.All.First(l => l.Category == r.GetString(0)).Id] = r.GetInt64(1);
            }
        }
        return p with { Milestones = milestones, Wards = wards, NearbyOpen = nearby };
    }
}
