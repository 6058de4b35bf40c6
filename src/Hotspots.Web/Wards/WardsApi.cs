using Hotspots.Http;
using System.Collections.Concurrent;
using System.Globalization;
using Hotspots.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Hotspots.Wards;

/// <summary>
/// GET /api/wards: the 126 current units as a FeatureCollection (code, name, kind, areaKm2…), geometry
/// simplified by PostGIS at the tolerance the client asks for (degrees; default ≈ 10 m). Boundaries change
/// only with a new boundary set, so each tolerance's answer is built once per process — for a few tolerances only:
/// a requested value is snapped to the nearest of <see cref="Tolerances"/>, so callers cannot fill memory (or the
/// database) with one answer per number they think of.
/// </summary>
public static class WardsApi
{
    public const double DefaultTolerance = 0.0001;
    private static readonly ConcurrentDictionary<double, Lazy<Task<(byte[] Json, string ETag)>>> Cache = new();

    /// <summary>The tolerances answered (degrees): 0 (exact) and a ladder from about a metre to about 5 km.</summary>
    public static readonly IReadOnlyList<double> Tolerances =
        [0, 0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0003, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05];

    /// <summary>How many answers are held (at most one per tolerance of the ladder).</summary>
    public static int CachedAnswers => Cache.Count;

    /// <summary>The ladder's tolerance nearest to a requested one (on a log scale; 0 only for 0).</summary>
    public static double Snap(double tolerance) => tolerance <= 0 ? 0
        : Tolerances.Skip(1).MinBy(t => Math.Abs(Math.Log(t) - Math.Log(tolerance)));

    public static void MapWardsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/wards", GetWards).WithName("GetWards");
    }


    /// <summary>Also the public map's /api/public/wards: boundaries hold nothing personal.</summary>
    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetWards(HttpContext http, NpgsqlDataSource dataSource)
    {
        var tolerance = DefaultTolerance;
        if (http.Request.Query.TryGetValue("tolerance", out var tv) && !string.IsNullOrWhiteSpace(tv))
        {
            if (!double.TryParse(tv, NumberStyles.Float, CultureInfo.InvariantCulture, out tolerance) || !double.IsFinite(tolerance) || tolerance < 0 || tolerance > 0.05)
            {
                return Problems.BadParameter("tolerance", "tolerance must be a number of degrees from 0 to 0.05");
            }
        }
        tolerance = Snap(tolerance);
        var (json, etag) = await Cache.GetOrAdd(tolerance, t => new Lazy<Task<(byte[], string)>>(() => Build(dataSource, t))).Value;
        if (ConditionalGet.NotModified(http, etag, "public, max-age=3600"))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(json, "application/geo+json; charset=utf-8");
    }

    // The ETag is a hash of the answer: it changes exactly when the boundaries (or their simplification) do.
    private static async Task<(byte[], string)> Build(NpgsqlDataSource dataSource, double tolerance)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT json_build_object('type', 'FeatureCollection',
                'boundarySet', (SELECT json_build_object('id', id, 'name', name, 'effectiveFrom', effective_from, 'attribution', attribution)
                                FROM boundary_sets WHERE is_current),
                -- the city's outline, for a map with no base map under it (coarser: it frames, it is not measured)
                'outline', (SELECT ST_AsGeoJSON(ST_ForcePolygonCCW(ST_SimplifyPreserveTopology(ST_Union(geom), greatest(@t, 0.001))), 4)::json FROM current_wards),
                'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature', 'id', code,
                    -- simplified shapes for drawing need no more than metre precision (5 decimals); exact ones keep 6;
                    -- RFC 7946 wants exterior rings counter-clockwise (the official boundaries are stored clockwise)
                    'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(CASE WHEN @t > 0 THEN ST_SimplifyPreserveTopology(geom, @t) ELSE geom END), CASE WHEN @t > 0 THEN 5 ELSE 6 END)::json,
                    'properties', json_build_object('code', code, 'name', name, 'fullName', full_name, 'nameEn', name_en,
                        'fullNameEn', full_name_en, 'kind', kind, 'areaKm2', round(area_km2::numeric, 2), 'population', population,
                        -- where a label sits: the centre of the largest inscribed circle, inside even a crescent-shaped ward
                        'labelPoint', (SELECT json_build_array(round(ST_X(c)::numeric, 5), round(ST_Y(c)::numeric, 5))
                                       FROM (SELECT (ST_MaximumInscribedCircle(geom)).center AS c) lp)))
                    ORDER BY code), '[]'))::text
            FROM current_wards
            """);
        cmd.Parameters.AddWithValue("t", tolerance);
        var text = (string)(await cmd.ExecuteScalarAsync())!;
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return (bytes, $"\"w{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes).AsSpan(0, 8))}\"");
    }
}
