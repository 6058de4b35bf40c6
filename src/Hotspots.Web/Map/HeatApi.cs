using System.Globalization;
using Hotspots.Map;
using Hotspots.Records;
using Hotspots.Geo;
using Hotspots.Hosting;
using Hotspots.Layers;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Hotspots.Map;

/// <summary>
/// GET /api/heat/{layer}?z=&amp;bbox=&amp;status=&amp;sample=: weighted points for a heatmap — the hotspot_cells of
/// level min(z, 15) inside the box, as [lat, lon, count] — so a heatmap of a million records is a few thousand
/// numbers.
/// </summary>
public static class HeatApi
{
    public static void MapHeatApi(this IEndpointRouteBuilder app) => app.MapGet("/api/heat/{layer}", GetHeat).WithName("GetHeat");

    private static async Task<Results<Ok<double[][]>, ProblemHttpResult>> GetHeat(string layer, HttpContext http, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var l = LayerCatalog.Find(layer);
        if (l?.Category is null)
        {
            return Problems.BadParameter("layer", $"unknown bottleneck layer '{layer}'");
        }
        if (!int.TryParse(http.Request.Query["z"], NumberStyles.None, CultureInfo.InvariantCulture, out var z) || z is < 0 or > 22)
        {
            return Problems.BadParameter("z", "z must be the map zoom, 0 to 22");
        }
        var (filter, bad, reason) = HotspotFilter.Parse(http.Request.Query);
        if (filter is null)
        {
            return Problems.BadParameter(bad!, reason!);
        }
        if (filter.Bbox is null || filter.Wards is not null || filter.Severities is not null || filter.Subtypes is not null
            || filter.From is not null || filter.To is not null || filter.Ids is not null || filter.At is not null)
        {
            return Problems.BadParameter("bbox", "a heatmap takes bbox (required), status and sample");
        }
        var level = Math.Min(z, HotspotCells.FinestLevel);
        var cell = WebMercator.TileWidth(level) / 64;
        var (x0, y0) = WebMercator.Project(filter.Bbox[0], filter.Bbox[3]);
        var (x1, y1) = WebMercator.Project(filter.Bbox[2], filter.Bbox[1]);
        var selected = filter.Statuses ?? HotspotStatus.All;
        await using var cmd = dataSource.CreateCommand();
        cmd.CommandText = $"""
            SELECT sum(sum_y) / sum(reported + verified + in_progress + resolved + rejected),
                   sum(sum_x) / sum(reported + verified + in_progress + resolved + rejected),
                   sum({string.Join(" + ", selected)})
            FROM hotspot_cells
            WHERE category = @category AND level = @level
              AND cx BETWEEN @cx0 AND @cx1 AND cy BETWEEN @cy0 AND @cy1 {(filter.Sample is null ? "" : "AND is_sample = @sample")}
            GROUP BY cx, cy
            HAVING sum({string.Join(" + ", selected)}) > 0
            LIMIT 50000
            """;
        cmd.Parameters.AddWithValue("category", l.Category);
        cmd.Parameters.AddWithValue("level", (short)level);
        cmd.Parameters.AddWithValue("cx0", (int)Math.Floor((x0 + WebMercator.Half) / cell));
        cmd.Parameters.AddWithValue("cx1", (int)Math.Floor((x1 + WebMercator.Half) / cell));
        cmd.Parameters.AddWithValue("cy0", (int)Math.Floor((WebMercator.Half - y0) / cell));
        cmd.Parameters.AddWithValue("cy1", (int)Math.Floor((WebMercator.Half - y1) / cell));
        if (filter.Sample is { } s)
        {
            cmd.Parameters.AddWithValue("sample", s);
        }
        var points = new List<double[]>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var (lon, lat) = WebMercator.Unproject(r.GetDouble(1), r.GetDouble(0));
            points.Add([Math.Round(lat, 6), Math.Round(lon, 6), r.GetInt64(2)]);
        }
        return TypedResults.Ok(points.ToArray());
    }
}
