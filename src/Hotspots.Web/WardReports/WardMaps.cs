using Hotspots.Basemap;
using Hotspots.Calendar;
using Hotspots.Records;
using Npgsql;

namespace Hotspots.WardReports;

public sealed record MapShape(string Id, string Path, string? Kind, string? Label, double LabelX, double LabelY);
/// <summary>A point of a printed map; with a link (and its title as the tooltip) a screen map's point opens what it is.</summary>
public sealed record MapPoint(double X, double Y, string Category, bool Overdue, int Severity, string? Link = null, string? Title = null);

/// <summary>A printable map in Web Mercator metres (SVG y grows down, so PostGIS's ST_AsSVG negates y).</summary>
public sealed record WardMapData(double MinX, double MinY, double Width, double Height, string? Focus,
    IReadOnlyList<MapShape> Wards, IReadOnlyList<MapShape> Projects, IReadOnlyList<MapPoint> Points, PrintedBase? Base = null)
{
    public string ViewBox => FormattableString.Invariant($"{MinX:0} {-(MinY + Height):0} {Width:0} {Height:0}");

}

/// <summary>
/// The geometry of a ward's printed map, drawn by PostGIS: the ward and its neighbours cut to the frame, the key
/// projects crossing the frame, and the open hotspots from the public read model — positions there are already
/// generalised for households and small businesses, so a poster on a wall shows nothing the public map does not —
/// over the same base map as the screen (PrintedBasemaps).
/// </summary>
public sealed class WardMaps(NpgsqlDataSource dataSource, PrintedBasemaps basemaps)
{
    public const int MaxPoints = 4000;

    public async Task<WardMapData?> WardAsync(string code, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // The ward's extent with a margin of 6 % of its larger side.
        if (await FrameAsync(conn, """
            SELECT ST_Expand(ST_Envelope(g), greatest(ST_XMax(g) - ST_XMin(g), ST_YMax(g) - ST_YMin(g)) * 0.06)
            FROM (SELECT ST_Transform(geom, 3857) AS g FROM current_wards WHERE code = @code) w
            """, code, ct) is not { } frame)
        {
            return null;
        }
        return new(frame.X0, frame.Y0, frame.X1 - frame.X0, frame.Y1 - frame.Y0, code,
            await ShapesAsync(conn, WardsSql, frame, null, ct),
            await ShapesAsync(conn, ProjectsSql, frame, null, ct),
            await PointsAsync(conn, code, ct), await basemaps.ForFrameAsync(frame.X0, frame.Y0, frame.X1, frame.Y1, ct));
    }

    /// <summary>The whole city: every ward, simplified, and the key projects; no points (too many to print).</summary>
    public async Task<WardMapData> CityAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var frame = (await FrameAsync(conn, "SELECT ST_Expand(ST_Extent(ST_Transform(geom, 3857))::geometry, 1500) FROM current_wards", null, ct))!.Value;
        return new(frame.X0, frame.Y0, frame.X1 - frame.X0, frame.Y1 - frame.Y0, null,
            await ShapesAsync(conn, WardsSql, frame, 60.0, ct), await ShapesAsync(conn, ProjectsSql, frame, 60.0, ct), [],
            await basemaps.ForFrameAsync(frame.X0, frame.Y0, frame.X1, frame.Y1, ct));
    }

    /// <summary>
    /// The wards around some points (longitude, latitude), the points drawn over them: an import's preview shows
    /// where its rows would land. The frame holds every point with a margin, at least 3 km across.
    /// </summary>
    public async Task<WardMapData?> AroundAsync(IReadOnlyList<double[]> points, string category, CancellationToken ct)
    {
        if (points.Count == 0)
        {
            return null;
        }
        var projected = points.Select(p => Geo.WebMercator.Project(p[0], p[1])).ToList();
        var (x0, x1, y0, y1) = (projected.Min(p => p.X), projected.Max(p => p.X), projected.Min(p => p.Y), projected.Max(p => p.Y));
        var margin = Math.Max(Math.Max(x1 - x0, y1 - y0) * 0.08, 1_500);
        var frame = (X0: x0 - margin, Y0: y0 - margin, X1: x1 + margin, Y1: y1 + margin);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var simplify = Math.Max(frame.X1 - frame.X0, frame.Y1 - frame.Y0) / 600;
        return new(frame.X0, frame.Y0, frame.X1 - frame.X0, frame.Y1 - frame.Y0, null,
            await ShapesAsync(conn, WardsSql, frame, simplify, ct), [], projected.Select(p => new MapPoint(p.X, p.Y, category, false, 3)).ToList());
    }

    /// <summary>The bounds (Web Mercator) of the box the query returns, or null when it returns none.</summary>
    private static async Task<(double X0, double Y0, double X1, double Y1)?> FrameAsync(NpgsqlConnection conn, string boxSql, string? code, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM ({boxSql}) AS x(b) WHERE b IS NOT NULL", conn);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("code", code));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)) : null;
    }

    private const string WardsSql = """
        SELECT code, ST_AsSVG(ST_CollectionExtract(ST_Intersection(ST_SimplifyPreserveTopology(ST_Transform(geom, 3857), @simplify), f.b), 3), 0, 0),
               NULL, name, ST_X(ST_PointOnSurface(ST_Intersection(ST_Transform(geom, 3857), f.b))), ST_Y(ST_PointOnSurface(ST_Intersection(ST_Transform(geom, 3857), f.b)))
        FROM current_wards, f
        WHERE geom && ST_Transform(f.b, 4326) AND ST_Intersects(ST_Transform(geom, 3857), f.b)
        ORDER BY code
        """;

    private const string ProjectsSql = """
        SELECT id, ST_AsSVG(ST_CollectionExtract(ST_Intersection(ST_SimplifyPreserveTopology(geom_web, @simplify), f.b), CASE WHEN kind = 'low_emission_zone' THEN 3 ELSE 2 END), 0, 0),
               kind, name, 0, 0
        FROM projects, f
        WHERE geom_web && f.b
        ORDER BY kind = 'low_emission_zone' DESC, id
        """;

    private static async Task<IReadOnlyList<MapShape>> ShapesAsync(NpgsqlConnection conn, string sql, (double X0, double Y0, double X1, double Y1) frame,
        double? simplify, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("WITH f AS (SELECT ST_MakeEnvelope(@x0, @y0, @x1, @y1, 3857) AS b) " + sql, conn);
        cmd.Parameters.AddWithValue("x0", frame.X0);
        cmd.Parameters.AddWithValue("y0", frame.Y0);
        cmd.Parameters.AddWithValue("x1", frame.X1);
        cmd.Parameters.AddWithValue("y1", frame.Y1);
        cmd.Parameters.AddWithValue("simplify", simplify ?? 0.0);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var shapes = new List<MapShape>();
        while (await r.ReadAsync(ct))
        {
            if (!r.IsDBNull(1) && r.GetString(1).Length > 0)
            {
                shapes.Add(new(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                    r.IsDBNull(4) ? 0 : r.GetDouble(4), r.IsDBNull(5) ? 0 : r.GetDouble(5)));
            }
        }
        return shapes;
    }

    private static async Task<IReadOnlyList<MapPoint>> PointsAsync(NpgsqlConnection conn, string code, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT ST_X(pt_web), ST_Y(pt_web), category, coalesce(deadline < (now() AT TIME ZONE {HanoiTime.ZoneSql})::date, false), severity
            FROM public_hotspots
            WHERE ward_code = @code AND status IN ({HotspotStatus.OpenSql})
            ORDER BY severity DESC, id
            LIMIT {MaxPoints}
            """, conn);
        cmd.Parameters.AddWithValue("code", code);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var points = new List<MapPoint>();
        while (await r.ReadAsync(ct))
        {
            points.Add(new(r.GetDouble(0), r.GetDouble(1), r.GetString(2), r.GetBoolean(3), r.GetInt16(4)));
        }
        return points;
    }
}
