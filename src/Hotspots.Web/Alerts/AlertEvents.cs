using Hotspots.Calendar;
using Hotspots.Records;
using Npgsql;

namespace Hotspots.Alerts;

/// <summary>One thing that happened to a record in a round: made, its status changed, or it reached a deadline level.</summary>
public sealed record AlertEvent(string Kind, long Id, string Category, string Title, string? WardCode, string? WardName, string Status,
    string? FromStatus, string? Level, DateOnly? Deadline, int Severity, double Lon, double Lat, bool IsSample);

/// <summary>
/// What changed in a round, for the whole city at once (one pass, whatever the number of people): records made in
/// [since, until), status changes in it, and — when the round crosses a Hanoi midnight — the open records whose
/// deadline level changed on that day. Kept in a temporary table, from which each person's share is read by their
/// wards, layers and area. Never a person's name: no notes, no officers, no reporters.
/// </summary>
public static class AlertEvents
{
    public static async Task CollectAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset since, DateTimeOffset until, DateOnly? levelDay,
        CancellationToken ct)
    {
        var day = "@day::date";
        await using var cmd = new NpgsqlCommand($"""
            CREATE TEMP TABLE alert_events ON COMMIT DROP AS
            SELECT e.kind, h.id, h.category, h.title, h.ward_code, w.full_name AS ward_name, h.status, e.from_status, e.level, h.deadline, h.severity,
                   ST_X(ST_PointOnSurface(h.geom)) AS lon, ST_Y(ST_PointOnSurface(h.geom)) AS lat, h.is_sample, h.geom
            FROM (
                SELECT 'new' AS kind, h.id, NULL::text AS from_status, NULL::text AS level FROM hotspots h
                WHERE h.created_at >= @since AND h.created_at < @until
                UNION ALL
                SELECT 'status', s.hotspot_id, s.from_status, NULL FROM hotspot_status_history s
                WHERE s.changed_at >= @since AND s.changed_at < @until AND s.from_status IS NOT NULL AND s.from_status <> s.to_status AND NOT s.internal
                UNION ALL
                SELECT 'level', h.id, NULL, {Escalation.LevelSql("h", "h.status", day)} FROM hotspots h
                WHERE @day::date IS NOT NULL AND h.status IN ({HotspotStatus.OpenSql}) AND h.deadline IS NOT NULL
                  AND {Escalation.LevelSql("h", "h.status", day)} IS DISTINCT FROM {Escalation.LevelSql("h", "h.status", "(" + day + " - 1)")}
                  AND {Escalation.LevelSql("h", "h.status", day)} IS NOT NULL
            ) e
            JOIN hotspots h ON h.id = e.id LEFT JOIN current_wards w ON w.code = h.ward_code
            WHERE h.duplicate_of IS NULL;
            CREATE INDEX ON alert_events (ward_code);
            ANALYZE alert_events;
            """, conn, tx);
        cmd.Parameters.AddWithValue("since", since.UtcDateTime);
        cmd.Parameters.AddWithValue("until", until.UtcDateTime);
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("day", levelDay));
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The most a message lists of each kind (the counts are always whole).</summary>
    public const int MaxListed = 30;

    /// <summary>A person's share of the round: their wards (a ward lead's own, whatever was chosen), layers, area and kinds.</summary>
    public static async Task<(IReadOnlyList<AlertEvent> Listed, IReadOnlyDictionary<string, int> Counts)> ForAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        AlertSubscription s, string role, IReadOnlyCollection<string> ownWards, CancellationToken ct)
    {
        var wards = role == Accounts.Roles.WardLead ? (s.Wards ?? ownWards).Intersect(ownWards).ToArray() : s.Wards?.ToArray();
        var categories = s.Layers?.Select(l => Layers.LayerCatalog.Find(l)?.Category).OfType<string>().ToArray();
        await using var cmd = new NpgsqlCommand("""
            WITH mine AS (
                SELECT e.*, row_number() OVER (PARTITION BY e.kind ORDER BY e.severity DESC, e.id) AS n, count(*) OVER (PARTITION BY e.kind) AS total
                FROM alert_events e
                WHERE e.kind = ANY(@kinds) AND (@wards::text[] IS NULL OR e.ward_code = ANY(@wards))
                  AND (@categories::text[] IS NULL OR e.category = ANY(@categories))
                  AND (@area::geometry IS NULL OR ST_Intersects(e.geom, @area)))
            SELECT kind, id, category, title, ward_code, ward_name, status, from_status, level, deadline, severity, lon, lat, is_sample, total
            FROM mine WHERE n <= @max
            ORDER BY array_position(ARRAY['new', 'status', 'level'], kind), severity DESC, id
            """, conn, tx);
        cmd.Parameters.AddWithValue("kinds", s.Events.ToArray());
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
