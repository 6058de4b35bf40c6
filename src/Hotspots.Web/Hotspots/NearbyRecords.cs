using Npgsql;

namespace Hotspots.Records;

/// <summary>An open record near a place where someone is about to report the same thing, and how far it is.</summary>
public sealed record NearbyRecord(long Id, string Title, string? Subtype, string Status, string? WardCode, string? WardName, DateTimeOffset ReportedAt,
    int Metres, bool IsSample);

/// <summary>
/// Likely duplicates of a new report: open records of the same layer (and kind, when both have one) within the
/// layer's distance, reported or touched in the last <see cref="RecentDays"/> days, nearest first. A flooded street
/// spreads further than a stall on a pavement, so each layer has its own distance.
/// </summary>
public sealed class NearbyRecords(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int RecentDays = 180;
    public const int MaxShown = 10;

    /// <summary>How far apart two reports of one layer may still be one problem, in metres on the ground.</summary>
    public static int RadiusMetres(string category) => category switch
    {
        "flooding" => FloodRisk.FloodScenario.NearMetres,
        "congestion" or "environment" => 100,
        _ => 50,
    };

    /// <summary><see cref="RadiusMetres"/> in SQL, for a category column.</summary>
    public static string RadiusSql(string categoryColumn) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"(CASE {categoryColumn} WHEN 'flooding' THEN {RadiusMetres("flooding")} WHEN 'congestion' THEN {RadiusMetres("congestion")} WHEN 'environment' THEN {RadiusMetres("environment")} ELSE {RadiusMetres("")} END)::float8");

    /// <summary>
    /// The SQL condition "record <paramref name="o"/> is an open record of <paramref name="category"/> within
    /// <paramref name="radius"/> metres of <paramref name="place"/>, touched since <paramref name="since"/>" — the one
    /// rule of the form, triage and imports. The GiST on the Web Mercator copy finds the candidates (its metres are
    /// 1/cos(latitude) longer than the ground's, so the box is widened by that); the ground distance decides.
    /// </summary>
    public static string OpenNearSql(string o, string place, string category, string radius, string since) => $"""
        {o}.geom_web && ST_Expand(ST_Transform({place}, 3857), {radius} / cos(radians(ST_Y(ST_PointOnSurface({place})))))
          AND {o}.category = {category} AND {o}.status IN ({HotspotStatus.OpenSql})
          AND greatest({o}.reported_at, {o}.updated_at) >= {since}
          AND ST_DWithin({o}.geom::geography, {place}::geography, {radius})
        """;

    public async Task<IReadOnlyList<NearbyRecord>> FindAsync(string category, string? subtype, double lon, double lat, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand($"""
            WITH here AS (SELECT ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) AS pt)
            SELECT h.id, h.title, h.subtype, h.status, h.ward_code, w.name, h.reported_at, d.metres, h.is_sample
            FROM here, hotspots h
            CROSS JOIN LATERAL (SELECT ST_Distance(h.geom::geography, here.pt::geography) AS metres) d
            LEFT JOIN current_wards w ON w.code = h.ward_code
            WHERE {OpenNearSql("h", "here.pt", "@category", "@radius", "@since")}
              AND (@subtype::text IS NULL OR h.subtype IS NULL OR h.subtype = @subtype)
            ORDER BY d.metres, h.id
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("lon", lon);
        cmd.Parameters.AddWithValue("lat", lat);
        cmd.Parameters.AddWithValue("radius", (double)RadiusMetres(category));
        cmd.Parameters.AddWithValue("category", category);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("subtype", subtype));
        cmd.Parameters.AddWithValue("since", time.GetUtcNow().AddDays(-RecentDays));
        cmd.Parameters.AddWithValue("limit", MaxShown);
        return await ReadAsync(cmd, ct);
    }

    /// <summary>How far around a place <see cref="SearchAsync"/> looks for records by their words.</summary>
    public const int SearchMetres = 5_000;

    /// <summary>
    /// Open records a report may be linked to, found by what a person types: a record's number ("#123" or "123"), or
    /// words of its title or ward — diacritics not needed — within <see cref="SearchMetres"/> of the report; those of
    /// the same layer first, then nearest first.
    /// </summary>
    public async Task<IReadOnlyList<NearbyRecord>> SearchAsync(string text, string? category, double lon, double lat, CancellationToken ct = default)
    {
        var words = text.Trim().TrimStart('#');
        if (words.Length < 2 && !long.TryParse(words, out _))
        {
            return [];
        }
        await using var cmd = dataSource.CreateCommand($"""
            WITH here AS (SELECT ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) AS pt),
            found AS (
                SELECT h.id FROM hotspots h WHERE h.id = @id
                UNION
                SELECT h.id FROM hotspots h LEFT JOIN current_wards w ON w.code = h.ward_code, here
                WHERE h.geom_web && ST_Expand(ST_Transform(here.pt, 3857), @metres / cos(radians(@lat)))
                  AND (search_key(h.title) LIKE '%' || search_key(@words) || '%' OR search_key(w.name) LIKE '%' || search_key(@words) || '%'))
            SELECT h.id, h.title, h.subtype, h.status, h.ward_code, w.name, h.reported_at, ST_Distance(h.geom::geography, here.pt::geography), h.is_sample
            FROM found JOIN hotspots h USING (id) LEFT JOIN current_wards w ON w.code = h.ward_code, here
            WHERE h.status IN ({HotspotStatus.OpenSql})
            ORDER BY h.category IS DISTINCT FROM @category, 8, h.id
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("lon", lon);
        cmd.Parameters.AddWithValue("lat", lat);
        cmd.Parameters.AddWithValue("id", long.TryParse(words, out var id) ? id : 0L);
        cmd.Parameters.AddWithValue("words", words);
        cmd.Parameters.AddWithValue("metres", (double)SearchMetres);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("category", category));
        cmd.Parameters.AddWithValue("limit", 8);
        return await ReadAsync(cmd, ct);
    }

    // Columns: id, title, subtype, status, ward code, ward name, reported at, metres, sample.
    private static async Task<IReadOnlyList<NearbyRecord>> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var found = new List<NearbyRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            found.Add(new NearbyRecord(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetFieldValue<DateTimeOffset>(6),
                (int)Math.Round(r.GetDouble(7)), r.GetBoolean(8)));
        }
        return found;
    }
}
