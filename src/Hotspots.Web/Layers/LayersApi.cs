using Npgsql;

namespace Hotspots.Layers;

/// <summary>GET /api/layers: the layers with their Vietnamese and English names, colours and counts.</summary>
public static class LayersApi
{
    public sealed record LayerInfo(string Id, string NameVi, string NameEn, string Color, string Kind, long Count, long Open, long Overdue);

    public static void MapLayersApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/layers", GetLayers).WithName("GetLayers");

    private static async Task<IResult> GetLayers(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var counts = new Dictionary<string, (long, long, long)>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT category, sum(total), sum(open), sum(overdue) FROM ward_stats WHERE category <> 'all' GROUP BY category
            UNION ALL
            SELECT 'projects', count(*), count(*) FILTER (WHERE progress_pct < 100), 0 FROM projects
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                counts[r.GetString(0)] = (Convert.ToInt64(r[1]), Convert.ToInt64(r[2]), Convert.ToInt64(r[3]));
            }
        }
        var layers = LayerCatalog.All.Select(l =>
        {
            var (count, open, overdue) = counts.GetValueOrDefault(l.Category ?? "projects");
            return new LayerInfo(l.Id, l.NameVi, l.NameEn, l.Color, l.Category is null ? "projects" : "hotspots", count, open, overdue);
        });
        return TypedResults.Ok(new { layers });
    }
}
