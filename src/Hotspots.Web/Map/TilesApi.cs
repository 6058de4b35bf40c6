using Hotspots.Http;
using Hotspots.Map;
using Hotspots.Records;
using Hotspots.Geo;
using Hotspots.Hosting;
using Hotspots.Layers;
using Hotspots.Snapshots;
using Hotspots.Wards;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Hotspots.Map;

/// <summary>
/// GET /tiles/{layer}/{z}/{x}/{y}.mvt: Mapbox Vector Tiles made by ST_AsMVT, with the same filters as the
/// GeoJSON endpoint. Below <see cref="ClusterBelowZoom"/> hotspots are aggregated on a grid of 16×16 cells
/// per tile, 16 px apart on screen so each circle has room for its number (a count, open/overdue/resolved counts, the worst severity, and the record `id` where a cell holds
/// one record), so no tile grows with the data: read from the pre-built hotspot_cells when the filters are
/// status and sample only, aggregated from the hotspots themselves otherwise.
/// </summary>
public static class TilesApi
{
    public const int ClusterBelowZoom = HotspotCells.FinestLevel + 1;
    private const int Extent = 4096;
    // hotspot_cells keeps 64×64 cells per tile (HotspotCells); the map shows them merged 4×4. Finer cells put a
    // circle every 4 px: they overlapped into a blur and had no room for the count they stand for.
    private const int CellsPerTile = 64;
    private const int Merge = 4;
    private const int ShownPerTile = CellsPerTile / Merge;
    // A circle is up to 24 px across: each tile also carries the cells within two shown cells (8 stored ones) of its
    // edges, so a circle on an edge is drawn whole, half by each tile (no seams).
    private const int EdgeCells = 2 * Merge;
    private const int EdgeBuffer = EdgeCells * Extent / CellsPerTile;

    /// <summary>The tables a tile is made from: the hotspots themselves, or the public read model.</summary>
    public sealed record Source(string Hotspots, string Cells)
    {
        public static readonly Source Internal = new("hotspots", "hotspot_cells");
        public static readonly Source Public = new("public_hotspots", "public_hotspot_cells");
    }

    public static void MapTilesApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/tiles/{layer}/{z}/{x}/{y}.mvt", (string layer, string z, string x, string y, HttpContext http, NpgsqlDataSource dataSource,
                KnownWards wards, ResponseCache cache, DataVersion version, CancellationToken ct) =>
            ServeAsync(Source.Internal, layer, z, x, y, http, dataSource, wards, cache, version, ct)).WithName("GetTile");

    public static async Task<Results<FileContentHttpResult, NoContent, StatusCodeHttpResult, ProblemHttpResult>> ServeAsync(
        Source source, string layer, string z, string x, string y, HttpContext http, NpgsqlDataSource dataSource, KnownWards wards,
        ResponseCache cache, DataVersion version, CancellationToken ct)
    {
        var l = LayerCatalog.Find(layer);
        if (l is null)
        {
            return Problems.BadParameter("layer", $"unknown layer '{layer}'; known layers: {LayerCatalog.Known}");
        }
        var (tile, badTile, tileReason) = TileAddress.Parse(z, x, y);
        if (tile is not { } t)
        {
            return Problems.BadParameter(badTile!, tileReason!);
        }
        var (filter, bad, reason) = HotspotFilter.Parse(http.Request.Query);
        if (filter is null)
        {
            return Problems.BadParameter(bad!, reason!);
        }
        if (filter.Bbox is not null)
        {
            return Problems.BadParameter("bbox", "a tile has its own bounds; bbox does not apply");
        }
        if (await filter.UnknownWardAsync(wards, ct) is { } unknown)
        {
            return Problems.BadParameter("ward", $"no current ward or commune has code {unknown}");
        }

        // A tile is a function of its URL and the data version: repeat requests are answered from memory,
        // and a client holding this version's tile gets 304.
        var v = version.Current;
        var etag = $"\"t{v}\"";
        if (ConditionalGet.NotModified(http, etag, CachePolicy.For(http.Request, v)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var key = ResponseCache.Key(http.Request, v);
        if (!cache.TryGet(key, out var bytes))
        {
            await using var cmd = dataSource.CreateCommand();
            Prepare(cmd, l, t, filter, source);
            bytes = (byte[]?)await cmd.ExecuteScalarAsync(ct) ?? [];
            cache.Set(key, bytes);
        }
        if (bytes is null || bytes.Length == 0)
        {
            return TypedResults.NoContent();
        }
        return TypedResults.Bytes(bytes, "application/vnd.mapbox-vector-tile");
    }

    /// <summary>The tile's SQL and parameters; shared with the benchmark's `tile-sql` command.</summary>
    public static void Prepare(NpgsqlCommand cmd, Layer l, TileAddress t, HotspotFilter filter, Source? source = null)
    {
        source ??= Source.Internal;
        cmd.Parameters.AddWithValue("z", t.Z);
        cmd.Parameters.AddWithValue("x", t.X);
        cmd.Parameters.AddWithValue("y", t.Y);
        cmd.Parameters.AddWithValue("layer", l.Id);
        if (l.Category is null)
        {
            cmd.CommandText = ProjectsSql;
            return;
        }
        cmd.Parameters.AddWithValue("category", l.Category);
        if (t.Z < ClusterBelowZoom && CellsSql(filter, cmd, source) is { } cells)
        {
            cmd.CommandText = cells;
        }
        else if (t.Z < ClusterBelowZoom)
        {
            cmd.Parameters.AddWithValue("cell", t.WidthMetres / ShownPerTile);
            cmd.CommandText = ClusteredSql(filter, filter.Sql(cmd), source);
        }
        else
        {
            cmd.CommandText = source == Source.Public ? PublicFeaturesSql(filter, filter.Sql(cmd)) : FeaturesSql(filter, filter.Sql(cmd), source);
        }
    }

    // Individual hotspots; the 64-unit buffer keeps symbols whole across tile edges. No titles: in the
    // densest blocks they would push a tile past 500 KB; a popup reads them from the GeoJSON API.
    private static string FeaturesSql(HotspotFilter f, string filter, Source source) => $"""
        WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_TileEnvelope(@z, @x, @y, margin => 64.0 / {Extent}) AS outer_env)
        SELECT ST_AsMVT(t, @layer, {Extent}, 'geom') FROM (
            SELECT h.id, h.subtype, h.severity, {f.StatusSql} AS status, {f.OverdueExpr} AS overdue,
                   h.is_sample AS sample, h.ward_code AS ward,
                   ST_AsMVTGeom(h.geom_web, b.env, {Extent}, 64, true) AS geom
            FROM {source.Hotspots} h, b
            WHERE h.category = @category AND h.geom_web && b.outer_env {filter}
        ) t WHERE t.geom IS NOT NULL
        """;

    // The public map's hotspots: households' and small businesses' records sit at the centre of their 250 m cell
    // (generalized), so several can share one position; those are one symbol with their count (and the open and
    // overdue among them), not a pile that looks like one point.
    private static string PublicFeaturesSql(HotspotFilter f, string filter) => $"""
        WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env, ST_TileEnvelope(@z, @x, @y, margin => 64.0 / {Extent}) AS outer_env),
        rows AS (
            SELECT h.id, h.subtype, h.severity, {f.StatusSql} AS status, {f.OverdueExpr} AS overdue,
                   h.is_sample AS sample, h.ward_code AS ward, h.generalized, h.geom_web
            FROM public_hotspots h, b
            WHERE h.category = @category AND h.geom_web && b.outer_env {filter})
        SELECT ST_AsMVT(t, @layer, {Extent}, 'geom') FROM (
            SELECT r.id, r.subtype, r.severity, r.status, r.overdue, r.sample, r.ward, NULL::int AS count, NULL::int AS open, NULL::int AS late,
                   ST_AsMVTGeom(r.geom_web, b.env, {Extent}, 64, true) AS geom
            FROM rows r, b WHERE NOT r.generalized
            UNION ALL
            SELECT CASE WHEN count(*) = 1 THEN min(r.id) END, CASE WHEN count(*) = 1 THEN min(r.subtype) END, max(r.severity),
                   CASE WHEN count(*) = 1 THEN min(r.status) END,
                   CASE WHEN count(*) = 1 THEN bool_or(r.overdue) END,
                   bool_and(r.sample), min(r.ward),
                   CASE WHEN count(*) > 1 THEN count(*)::int END,
                   CASE WHEN count(*) > 1 THEN count(*) FILTER (WHERE r.status IN ({HotspotStatus.OpenSql}))::int END,
                   CASE WHEN count(*) > 1 THEN count(*) FILTER (WHERE r.overdue)::int END,
                   ST_AsMVTGeom(r.geom_web, b.env, {Extent}, 64, true)
            FROM rows r, b WHERE r.generalized
            GROUP BY r.geom_web, b.env
        ) t WHERE t.geom IS NOT NULL
        """;

    // The pre-built cells of level z under this tile; null when the filter needs the hotspots themselves.
    private static string? CellsSql(HotspotFilter filter, NpgsqlCommand cmd, Source source)
    {
        if (!HotspotCells.CanServe(filter))
        {
            return null;
        }
        var selected = filter.Statuses ?? HotspotStatus.All;
        var openSelected = HotspotStatus.Open.Count(selected.Contains);
        string Sum(IEnumerable<string> statuses) =>
            string.Join(" + ", statuses.Where(selected.Contains).Select(s => "c." + s).DefaultIfEmpty("0"));
        var sample = "";
        if (filter.Sample is { } s)
        {
            sample = " AND c.is_sample = @sample";
            cmd.Parameters.AddWithValue("sample", s);
        }
        return $"""
            WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
            cells AS (
                SELECT sum({Sum(HotspotStatus.All)})::int AS count,
                       sum({Sum(HotspotStatus.Open)})::int AS open,
                       {(openSelected == 3 ? "sum(c.overdue)::int" : "0")} AS overdue,
                       sum({Sum(["resolved"])})::int AS resolved,
                       max(c.max_severity) AS max_severity,
                       sum(c.reported + c.verified + c.in_progress + c.resolved + c.rejected) AS total,
                       min(c.first_id) AS first_id, sum(c.sum_x) AS sx, sum(c.sum_y) AS sy
                FROM {source.Cells} c
                WHERE c.category = @category AND c.level = @z
                  AND c.tx BETWEEN @x - 1 AND @x + 1 AND c.ty BETWEEN @y - 1 AND @y + 1
                  AND c.cx BETWEEN @x * {CellsPerTile} - {EdgeCells} AND (@x + 1) * {CellsPerTile} + {EdgeCells - 1}
                  AND c.cy BETWEEN @y * {CellsPerTile} - {EdgeCells} AND (@y + 1) * {CellsPerTile} + {EdgeCells - 1}{sample}
                GROUP BY c.cx / {Merge}, c.cy / {Merge})
            SELECT ST_AsMVT(t, @layer, {Extent}, 'geom') FROM (
                SELECT CASE WHEN cells.total = 1 THEN cells.first_id END AS id, cells.count, cells.open, cells.overdue,
                       cells.resolved, cells.max_severity,
                       ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(cells.sx / cells.total, cells.sy / cells.total), 3857), b.env, {Extent}, {EdgeBuffer}, true) AS geom
                FROM cells, b
                WHERE cells.count > 0
            ) t WHERE t.geom IS NOT NULL
            """;
    }

    // One point per occupied grid cell, at the mean position of what it holds.
    private static string ClusteredSql(HotspotFilter f, string filter, Source source) => $"""
        WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env),
        cells AS (
            SELECT count(*)::int AS count,
                   count(*) FILTER (WHERE {f.StatusSql} IN ({HotspotStatus.OpenSql}))::int AS open,
                   count(*) FILTER (WHERE {f.OverdueExpr})::int AS overdue,
                   count(*) FILTER (WHERE {f.StatusSql} = 'resolved')::int AS resolved,
                   max(h.severity) AS max_severity,
                   avg(ST_X(h.pt_web)) AS cx, avg(ST_Y(h.pt_web)) AS cy
            FROM {source.Hotspots} h, b
            WHERE h.category = @category AND h.pt_web && ST_Expand(b.env, {EdgeCells / Merge} * @cell) {filter}
            GROUP BY floor(ST_X(h.pt_web) / @cell), floor(ST_Y(h.pt_web) / @cell))
        SELECT ST_AsMVT(t, @layer, {Extent}, 'geom') FROM (
            SELECT c.count, c.open, c.overdue, c.resolved, c.max_severity,
                   ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(c.cx, c.cy), 3857), b.env, {Extent}, {EdgeBuffer}, true) AS geom
            FROM cells c, b
        ) t WHERE t.geom IS NOT NULL
        """;

    private static readonly string ProjectsSql = $"""
        WITH b AS (SELECT ST_TileEnvelope(@z, @x, @y) AS env)
        SELECT ST_AsMVT(t, @layer, {Extent}, 'geom') FROM (
            SELECT p.id, p.name, p.kind, p.progress_pct::float8 AS progress, p.approximate,
                   ST_AsMVTGeom(ST_SimplifyPreserveTopology(p.geom_web, (ST_XMax(b.env) - ST_XMin(b.env)) / {Extent}), b.env, {Extent}, 64, true) AS geom
            FROM projects p, b
            WHERE p.geom_web && b.env
        ) t WHERE t.geom IS NOT NULL
        """;
}
