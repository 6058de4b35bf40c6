using Hotspots.Calendar;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace Hotspots.Records;

/// <summary>
/// The filters shared by the GeoJSON, tile and (later) export endpoints: bbox, ward, status, severity,
/// subtype, reported-date range, sample/real and a replay day (`at`). Parsed once from the query string;
/// rendered as a parameterised SQL condition on the hotspots table aliased `h`.
/// With <see cref="At"/> the map shows the city as it was at the end of that Hanoi day: only what had been
/// reported by then, each with its status as of then (see <see cref="StatusSql"/>).
/// </summary>
public sealed partial record HotspotFilter(
    double[]? Bbox, string[]? Wards, string[]? Statuses, short[]? Severities, string[]? Subtypes,
    DateOnly? From, DateOnly? To, bool? Sample, long[]? Ids = null, DateOnly? At = null, string? Level = null)
{

    /// <summary>Parses the query; on the first bad parameter returns its name and why.</summary>
    public static (HotspotFilter? Filter, string? Parameter, string? Reason) Parse(IQueryCollection q)
    {
        double[]? bbox = null;
        if (q.TryGetValue("bbox", out var b) && !string.IsNullOrWhiteSpace(b))
        {
            var parts = b.ToString().Split(',');
            if (parts.Length != 4 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                return (null, "bbox", "bbox must be minLon,minLat,maxLon,maxLat (WGS84 degrees)");
            }
            bbox = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            if (bbox.Any(v => !double.IsFinite(v)) || bbox[0] >= bbox[2] || bbox[1] >= bbox[3]
                || bbox[0] < -180 || bbox[2] > 180 || bbox[1] < -90 || bbox[3] > 90)
            {
                return (null, "bbox", "bbox must be minLon,minLat,maxLon,maxLat with min < max, within -180..180 and -90..90");
            }
        }
        string[]? wards = null;
        if (q.TryGetValue("ward", out var w) && !string.IsNullOrWhiteSpace(w))
        {
            wards = List(w.ToString()).Distinct().ToArray();
            if (wards.Length > 20 || !wards.All(x => WardCode().IsMatch(x)))
            {
                return (null, "ward", "ward must be official 5-digit ward or commune codes (up to 20, comma-separated)");
            }
        }
        string[]? statuses = null;
        // "all" is the dashboard's word for no status filter.
        if (q.TryGetValue("status", out var s) && !string.IsNullOrWhiteSpace(s) && !List(s.ToString()).Contains("all"))
        {
            statuses = List(s.ToString());
            var expanded = statuses.SelectMany(x => x == "open" ? HotspotStatus.Open : [x]).Distinct().ToArray();
            var bad = expanded.FirstOrDefault(x => !HotspotStatus.All.Contains(x));
            if (bad is not null)
            {
                return (null, "status", $"unknown status '{bad}'; use {string.Join(", ", HotspotStatus.All)} or open");
            }
            statuses = expanded;
        }
        short[]? severities = null;
        if (q.TryGetValue("severity", out var sv) && !string.IsNullOrWhiteSpace(sv))
        {
            var items = List(sv.ToString());
            if (!items.All(x => short.TryParse(x, out var v) && v is >= 1 and <= 5))
            {
                return (null, "severity", "severity must be one or more of 1..5, comma-separated");
            }
            severities = items.Select(short.Parse).Distinct().ToArray();
        }
        string[]? subtypes = null;
        if (q.TryGetValue("subtype", out var st) && !string.IsNullOrWhiteSpace(st))
        {
            subtypes = List(st.ToString());
            if (subtypes.Any(x => !Identifier().IsMatch(x)))
            {
                return (null, "subtype", "subtype must be lower-case identifiers, comma-separated");
            }
        }
        var (from, fromBad) = Date(q, "from");
        if (fromBad)
        {
            return (null, "from", "from must be a date (yyyy-MM-dd) from 1900-01-01 to 2200-12-31");
        }
        var (to, toBad) = Date(q, "to");
        if (toBad)
        {
            return (null, "to", "to must be a date (yyyy-MM-dd) from 1900-01-01 to 2200-12-31");
        }
        if (from is not null && to is not null && from > to)
        {
            return (null, "from", "from must not be after to");
        }
        bool? sample = null;
        if (q.TryGetValue("sample", out var sa) && !string.IsNullOrWhiteSpace(sa))
        {
            if (!bool.TryParse(sa, out var sb))
            {
                return (null, "sample", "sample must be true (sample data only) or false (real data only)");
            }
            sample = sb;
        }
        var (at, atBad) = Date(q, "at");
        if (atBad)
        {
            return (null, "at", "at must be a date (yyyy-MM-dd) from 1900-01-01 to 2200-12-31: the day whose end the map shows");
        }
        long[]? ids = null;
        if (q.TryGetValue("ids", out var iv) && !string.IsNullOrWhiteSpace(iv))
        {
            var items = List(iv.ToString());
            if (items.Length > 100 || !items.All(x => long.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                return (null, "ids", "ids must be up to 100 record ids, comma-separated");
            }
            ids = items.Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        }
        var overdue = false;
        if (q.TryGetValue("overdue", out var od) && !string.IsNullOrWhiteSpace(od) && !bool.TryParse(od, out overdue))
        {
            return (null, "overdue", "overdue must be true (overdue records only) or false");
        }
        // level= one escalation level (Escalation); overdue=true, the older spelling, is level=overdue.
        string? level = overdue ? Escalation.Overdue : null;
        if (q.TryGetValue("level", out var lv) && !string.IsNullOrWhiteSpace(lv))
        {
            level = lv.ToString();
            if (!Escalation.Levels.Contains(level))
            {
                return (null, "level", $"level must be one of: {string.Join(", ", Escalation.Levels)}");
            }
        }
        return (new HotspotFilter(bbox, wards, statuses, severities, subtypes, from, to, sample, ids, at, level), null, null);
    }

    /// <summary>The first ward code that names no current unit, or null.</summary>
    public async Task<string?> UnknownWardAsync(Wards.KnownWards known, CancellationToken ct)
    {
        foreach (var code in Wards ?? [])
        {
            if (!await known.ExistsAsync(code, ct))
            {
                return code;
            }
        }
        return null;
    }

    /// <summary>SQL conditions (joined by AND, starting with AND) and their parameters.</summary>
    public string Sql(NpgsqlCommand cmd, bool bboxOnGeom = true)
    {
        var sql = new StringBuilder();
        if (Bbox is { } b && bboxOnGeom)
        {
            // The one spatial index is on the Web Mercator copy; a lon/lat box is the same box there (latitudes
            // clamped to Mercator's limit, beyond which no record can lie).
            sql.Append(" AND h.geom_web && ST_Transform(ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326), 3857)");
            cmd.Parameters.AddWithValue("minx", b[0]);
            cmd.Parameters.AddWithValue("miny", Math.Max(b[1], -Geo.WebMercator.MaxLatitude));
            cmd.Parameters.AddWithValue("maxx", b[2]);
            cmd.Parameters.AddWithValue("maxy", Math.Min(b[3], Geo.WebMercator.MaxLatitude));
        }
        if (Wards is not null)
        {
            sql.Append(" AND h.ward_code = ANY(@wards)");
            cmd.Parameters.AddWithValue("wards", Wards);
        }
        if (At is { } a)
        {
            var end = a.AddDays(1);
            sql.Append(" AND h.reported_at < @at_end");
            cmd.Parameters.AddWithValue("at_end", NpgsqlDbType.TimestampTz, HanoiTime.StartOf(end).UtcDateTime);
            cmd.Parameters.AddWithValue("at_day", NpgsqlDbType.Date, a);
        }
        if (Statuses is not null)
        {
            sql.Append($" AND {StatusSql} = ANY(@statuses)");
            cmd.Parameters.AddWithValue("statuses", Statuses);
        }
        if (Severities is not null)
        {
            sql.Append(" AND h.severity = ANY(@severities)");
            cmd.Parameters.AddWithValue("severities", Severities);
        }
        if (Subtypes is not null)
        {
            sql.Append(" AND h.subtype = ANY(@subtypes)");
            cmd.Parameters.AddWithValue("subtypes", Subtypes);
        }
        // Dates are Hanoi calendar days (UTC+7).
        if (From is { } f)
        {
            sql.Append(" AND h.reported_at >= @from");
            cmd.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, HanoiTime.StartOf(f).UtcDateTime);
        }
        if (To is { } t)
        {
            sql.Append(" AND h.reported_at < @to");
            cmd.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, HanoiTime.StartOf(t.AddDays(1)).UtcDateTime);
        }
        if (Sample is { } s)
        {
            sql.Append(" AND h.is_sample = @sample");
            cmd.Parameters.AddWithValue("sample", s);
        }
        if (Ids is not null)
        {
            sql.Append(" AND h.id = ANY(@ids)");
            cmd.Parameters.AddWithValue("ids", Ids);
        }
        if (Level is not null)
        {
            sql.Append($" AND {Escalation.IsSql(Level, "h", StatusSql, DaySql)}");
        }
        return sql.ToString();
    }

    /// <summary>
    /// The status this filter sees: the current one, or with <see cref="At"/> the one at the end of that day —
    /// closed (resolved or rejected) if it was closed by then, else verified if it had been verified, else
    /// reported. (Work started on a record is not timestamped on the row, so in_progress shows as verified.)
    /// Valid in a command whose conditions came from <see cref="Sql"/>.
    /// </summary>
    public string StatusSql => At is null
        ? "h.status"
        : "(CASE WHEN h.closed_at < @at_end THEN h.status WHEN h.verified_at < @at_end THEN 'verified' ELSE 'reported' END)";

    /// <summary>Overdue now, or with <see cref="At"/> overdue on that day (Escalation's rule).</summary>
    public string OverdueExpr => Escalation.IsSql(Escalation.Overdue, "h", StatusSql, DaySql);

    /// <summary>The Hanoi day the filter looks at: today, or <see cref="At"/>.</summary>
    public string DaySql => At is null ? $"(now() AT TIME ZONE {HanoiTime.ZoneSql})::date" : "@at_day";

    private static string[] List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.ToLowerInvariant()).ToArray();

    private static (DateOnly? Value, bool Bad) Date(IQueryCollection q, string name)
    {
        if (!q.TryGetValue(name, out var v) || string.IsNullOrWhiteSpace(v))
        {
            return (null, false);
        }
        // Bounded: a day at the ends of the calendar (0001-01-01, 9999-12-31) overflows the time arithmetic that follows.
        return DateOnly.TryParseExact(v.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d >= MinDay && d <= MaxDay
            ? (d, false) : (null, true);
    }

    /// <summary>The days a filter accepts.</summary>
    public static readonly DateOnly MinDay = new(1900, 1, 1), MaxDay = new(2200, 12, 31);

    [GeneratedRegex("^[0-9]{5}$")]
    private static partial Regex WardCode();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex Identifier();
}
