using Hotspots.Calendar;
using Hotspots.Records;
using Npgsql;

namespace Hotspots.Alerts;

/// <summary>One thing that happened to a record in a round: made, its status changed, or it reached a deadline level.</summary>
public sealed record AlertEvent(string Kind, long Id, string Category, string Title, string? WardCode, string? WardName, string Status,
    string? FromStatus, string? Level, DateOnly? Deadline, int Severity, double Lon, double Lat, bool IsSample);

/// <summary>
/// What changed in a round: records made in [since, until), status changes in it, and — when the round crosses a
/// Hanoi midnight — the open records whose deadline level changed on that day. Collected once for the whole city
/// (one pass, whatever the number of people) as, per ward, layer and kind, the count and the most severe
/// <see cref="MaxListed"/>: a person's share is the sum of the counts and the most severe of the tops of their wards
/// and layers. A drawn area is read from the records themselves. Never a person's name: no notes, officers or reporters.
/// </summary>
public static class AlertEvents
{
    /// <summary>The most a message lists of each kind (the counts are always whole).</summary>
    public const int MaxListed = 30;

    // Every event of the round, with the record's columns; {0}: a further condition on h (a drawn area), or "true".
    private static string EventsSql(string where) => $"""
        SELECT 'new' AS kind, h.id, h.category, h.title, h.ward_code, h.status, NULL::text AS from_status, NULL::text AS level, h.deadline,
               h.severity, h.is_sample, h.geom
        FROM hotspots h
        WHERE h.created_at >= @since AND h.created_at < @until AND h.duplicate_of IS NULL AND 'new' = ANY(@kinds) AND {where}
        UNION ALL
        SELECT 'status', h.id, h.category, h.title, h.ward_code, h.status, s.from_status, NULL, h.deadline, h.severity, h.is_sample, h.geom
        FROM hotspot_status_history s JOIN hotspots h ON h.id = s.hotspot_id
        WHERE s.changed_at >= @since AND s.changed_at < @until AND s.from_status IS NOT NULL AND s.from_status <> s.to_status AND NOT s.internal
          AND h.duplicate_of IS NULL AND 'status' = ANY(@kinds) AND {where}
        UNION ALL
        SELECT 'level', h.id, h.category, h.title, h.ward_code, h.status, NULL, l.level, h.deadline, h.severity, h.is_sample, h.geom
        FROM hotspots h
        CROSS JOIN LATERAL (SELECT {Escalation.LevelSql("h", "h.status", "@day::date")} AS level,
                                   {Escalation.LevelSql("h", "h.status", "(@day::date - 1)")} AS before) l
        WHERE @day::date IS NOT NULL AND 'level' = ANY(@kinds) AND h.status IN ({HotspotStatus.OpenSql}) AND h.deadline IS NOT NULL
          AND h.duplicate_of IS NULL AND l.level IS NOT NULL AND l.level IS DISTINCT FROM l.before AND {where}
        """;

    private static void Window(NpgsqlCommand cmd, DateTimeOffset since, DateTimeOffset until, DateOnly? levelDay, IEnumerable<string> kinds)
    {
        cmd.Parameters.AddWithValue("since", since.UtcDateTime);
        cmd.Parameters.AddWithValue("until", until.UtcDateTime);
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("day", levelDay));
        cmd.Parameters.AddWithValue("kinds", kinds.ToArray());
        cmd.CommandTimeout = 0;
    }

    public static async Task CollectAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset since, DateTimeOffset until, DateOnly? levelDay,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SET LOCAL work_mem = '256MB';
            CREATE TEMP TABLE alert_tops ON COMMIT DROP AS
            SELECT * FROM (
                SELECT e.*, row_number() OVER (PARTITION BY e.kind, e.ward_code, e.category ORDER BY e.severity DESC, e.id) AS n,
                       count(*) OVER (PARTITION BY e.kind, e.ward_code, e.category) AS total
                FROM ({EventsSql("true")}) e) t
            WHERE n <= {MaxListed};
            CREATE INDEX ON alert_tops (kind, ward_code);
            ANALYZE alert_tops;
            """, conn, tx);
        Window(cmd, since, until, levelDay, AlertSubscription.AllEvents);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A person's share of the round: their wards (a ward lead's own, whatever was chosen), layers, area and kinds.</summary>
    public static async Task<(IReadOnlyList<AlertEvent> Listed, IReadOnlyDictionary<string, int> Counts)> ForAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        AlertSubscription s, string role, IReadOnlyCollection<string> ownWards, DateTimeOffset since, DateTimeOffset until, DateOnly? levelDay,
        CancellationToken ct)
    {
        var wards = role == Accounts.Roles.WardLead ? (s.Wards ?? ownWards).Intersect(ownWards).ToArray() : s.Wards?.ToArray();
        var categories = s.Layers?.Select(l => Layers.LayerCatalog.Find(l)?.Category).OfType<string>().ToArray();
        const string Scope = "(@wards::text[] IS NULL OR e.ward_code = ANY(@wards)) AND (@categories::text[] IS NULL OR e.category = ANY(@categories))";
        // By wards and layers: from the round's tops (a count per part, summed). Inside a drawn area: from the records.
        var source = s.Area is null
            ? $"SELECT e.*, (sum(e.total) FILTER (WHERE e.n = 1) OVER (PARTITION BY e.kind))::bigint AS kind_total FROM alert_tops e WHERE e.kind = ANY(@kinds) AND {Scope}"
            : $"""
              SELECT e.*, count(*) OVER (PARTITION BY e.kind) AS kind_total FROM ({EventsSql("h.geom && @area AND ST_Intersects(h.geom, @area)")}) e
              WHERE {Scope}
              """;
        await using var cmd = new NpgsqlCommand($"""
            WITH mine AS ({source}),
            ranked AS (SELECT m.*, row_number() OVER (PARTITION BY m.kind ORDER BY m.severity DESC, m.id) AS rank FROM mine m)
            SELECT e.kind, e.id, e.category, e.title, e.ward_code, w.full_name, e.status, e.from_status, e.level, e.deadline, e.severity,
                   ST_X(ST_PointOnSurface(e.geom)), ST_Y(ST_PointOnSurface(e.geom)), e.is_sample, e.kind_total
            FROM ranked e LEFT JOIN current_wards w ON w.code = e.ward_code
            WHERE e.rank <= @max
            ORDER BY array_position(ARRAY['new', 'status', 'level'], e.kind), e.severity DESC, e.id
            """, conn, tx);
        Window(cmd, since, until, levelDay, s.Events);
        cmd.Parameters.Add(new NpgsqlParameter<string[]?>("wards", wards) { DataTypeName = "text[]" });
        cmd.Parameters.Add(new NpgsqlParameter<string[]?>("categories", categories) { DataTypeName = "text[]" });
        cmd.Parameters.Add(new NpgsqlParameter<NetTopologySuite.Geometries.Geometry?>("area", s.Area));
        cmd.Parameters.AddWithValue("max", MaxListed);
        var listed = new List<AlertEvent>();
        var counts = new Dictionary<string, int>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            listed.Add(new AlertEvent(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
                r.IsDBNull(9) ? null : r.GetFieldValue<DateOnly>(9), r.GetInt16(10), r.GetDouble(11), r.GetDouble(12), r.GetBoolean(13)));
            counts[r.GetString(0)] = (int)r.GetInt64(14);
        }
        return (listed, counts);
    }

    /// <summary>The Hanoi day whose levels a round reports: the day of its end, when the round crossed into it.</summary>
    public static DateOnly? LevelDay(DateTimeOffset since, DateTimeOffset until) =>
        HanoiTime.DateOf(since) != HanoiTime.DateOf(until) ? HanoiTime.DateOf(until) : null;
}
