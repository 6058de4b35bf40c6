using System.Globalization;
using System.Text.RegularExpressions;
using Hotspots.Accounts;
using Hotspots.Records;
using Npgsql;

namespace Hotspots.FieldReports;

public sealed record Reporter(string? Name, string? Phone);

/// <summary>The nearest open record a new report may repeat (NearbyRecords' distance and window), for linking it there.</summary>
public sealed record NearbyHint(long Id, string Title, int Metres);

public sealed record FieldReportItem(long Id, string Category, string Text, string Status, long? HotspotId, DateTimeOffset ReceivedAt,
    string? WardCode, string? WardName, double Lon, double Lat, string Channel, bool IsSample, bool MayTriage, Reporter? Reporter,
    NearbyHint? Nearby = null, bool Waiting = false, int Attachments = 0);

/// <summary>
/// Incoming citizen reports and their triage: link to an existing hotspot, make a hotspot of it, or reject it.
/// Reporters' names and phones go only to planners and the ward lead of the report's ward; for everyone else
/// phone numbers inside the text are masked too.
/// </summary>
public sealed partial class FieldReportTriage(NpgsqlDataSource dataSource, Audit audit, HotspotEditor editor,
    Microsoft.Extensions.Options.IOptions<Hosting.HotspotsOptions> options)
{
    /// <summary>How long a report may stay new before triage flags it (HOTSPOTS_REPORT_WAIT_HOURS).</summary>
    public int WaitHours => options.Value.ReportWaitHours;

    // 0912 345 678, +84 912-345-678, (+84) 912 345 678, (024) 3825 1234, 024.3825.1234: a country or trunk prefix,
    // bracketed or not, then 7–10 digits with spaces, dots or dashes between them.
    [GeneratedRegex(@"(?<!\d)(?:\(\s*(?:\+?84|0\d{1,3})\s*\)|\+?84|0)(?:[\s.\-]?\d){7,10}(?!\d)")]
    private static partial Regex PhoneNumber();

    public static string MaskPhones(string text) => PhoneNumber().Replace(text, "•••");

    // The list's filter (status, ward, and a ward lead's own wards: citizens' words are not for every ward's staff), and
    // "waited too long"; the list and its count read them alike, with the parameters Filter binds.
    private const string FilterSql = """
        (@status::text IS NULL OR r.status = @status) AND (@ward::text IS NULL OR r.ward_code = @ward)
          AND (@scope::text[] IS NULL OR r.ward_code = ANY(@scope))
        """;

    private const string WaitingSql = "r.status = 'new' AND r.received_at < now() - make_interval(hours => @wait)";

    private NpgsqlCommand Filter(string sql, Caller caller, string? status, string? ward)
    {
        var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("status", status));
        cmd.Parameters.Add(new NpgsqlParameter<string[]?>("scope", caller.WardScope?.ToArray()) { DataTypeName = "text[]" });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("ward", ward));
        cmd.Parameters.AddWithValue("wait", WaitHours);
        return cmd;
    }

    /// <summary>How many reports the filter holds, and how many of them have waited too long (for the list's pages and its warning).</summary>
    public async Task<(int Total, int Waiting)> CountAsync(Caller caller, string? status, string? ward, CancellationToken ct = default)
    {
        await using var cmd = Filter($"SELECT count(*)::int, count(*) FILTER (WHERE {WaitingSql})::int FROM field_reports r WHERE {FilterSql}",
            caller, status, ward);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt32(0), r.GetInt32(1));
    }

    public async Task<IReadOnlyList<FieldReportItem>> ListAsync(Caller caller, string? status, string? ward, int limit, CancellationToken ct = default,
        int offset = 0)
    {
        await using var cmd = Filter($"""
            SELECT r.id, r.category, r.text, r.status, r.hotspot_id, r.received_at, r.ward_code, w.name, ST_X(r.geom), ST_Y(r.geom), r.channel, r.is_sample,
                   p.reporter_name, p.reporter_phone, n.id, n.title, n.metres, {WaitingSql},
                   (SELECT count(*) FROM attachments a WHERE a.field_report_id = r.id)::int
            FROM field_reports r LEFT JOIN current_wards w ON w.code = r.ward_code LEFT JOIN field_report_reporters p ON p.report_id = r.id
            -- a report still to triage: the nearest open record it may repeat, so staff can link it there
            LEFT JOIN LATERAL (
                SELECT o.id, o.title, ST_Distance(o.geom::geography, r.geom::geography) AS metres
                FROM hotspots o
                WHERE r.status = 'new'
                  AND {NearbyRecords.OpenNearSql("o", "r.geom", "r.category", NearbyRecords.RadiusSql("r.category"), $"now() - interval '{NearbyRecords.RecentDays} days'")}
                ORDER BY 3 LIMIT 1) n ON true
            WHERE {FilterSql}
            ORDER BY r.received_at DESC, r.id DESC LIMIT @limit OFFSET @offset
            """, caller, status, ward);
        cmd.Parameters.AddWithValue("limit", Math.Clamp(limit, 1, 1000));
        cmd.Parameters.AddWithValue("offset", Math.Max(offset, 0));
        var list = new List<FieldReportItem>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var wardCode = r.IsDBNull(6) ? null : r.GetString(6);
            var personal = caller.SeesPersonalDataIn(wardCode);
            list.Add(new FieldReportItem(r.GetInt64(0), r.GetString(1), personal ? r.GetString(2) : MaskPhones(r.GetString(2)), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetInt64(4), r.GetFieldValue<DateTimeOffset>(5), wardCode, r.IsDBNull(7) ? null : r.GetString(7),
                r.GetDouble(8), r.GetDouble(9), r.GetString(10), r.GetBoolean(11), caller.Edits && caller.MayChange(wardCode),
                personal && (!r.IsDBNull(12) || !r.IsDBNull(13)) ? new Reporter(r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : r.GetString(13)) : null,
                r.IsDBNull(14) ? null : new NearbyHint(r.GetInt64(14), r.GetString(15), (int)Math.Round(r.GetDouble(16))), r.GetBoolean(17), r.GetInt32(18)));
        }
        return list;
    }

    public async Task<EditResult> LinkAsync(Caller caller, long reportId, long hotspotId, string? note, bool english, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (report, refusal) = await OpenReportAsync(conn, tx, caller, reportId, english, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        await using (var h = new NpgsqlCommand("SELECT ward_code FROM hotspots WHERE id = @id", conn, tx))
        {
            h.Parameters.AddWithValue("id", hotspotId);
            await using var r = await h.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return EditResult.Invalid([english ? $"no hotspot #{hotspotId}" : $"không có điểm #{hotspotId}"]);
            }
            // A ward lead links reports only to records of their own wards (the record is changed by the link).
            if (!caller.MayChange(r.IsDBNull(0) ? null : r.GetString(0)))
            {
                return EditResult.Denied(english ? $"hotspot #{hotspotId} is not in your wards" : $"điểm #{hotspotId} không thuộc phạm vi được giao");
            }
        }
        var changes = await SetAsync(conn, tx, caller, report!, "linked", hotspotId, note, ct);
        await tx.CommitAsync(ct);
        return EditResult.Ok(changes, hotspotId);
    }

    public async Task<EditResult> ConvertAsync(Caller caller, long reportId, string? layer, string? title, int severity, string? note, bool english, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (report, refusal) = await OpenReportAsync(conn, tx, caller, reportId, english, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var category = Layers.LayerCatalog.Find(layer ?? "")?.Category ?? (report!.Category == "other" ? null : report!.Category);
        if (category is null)
        {
            return EditResult.Invalid([english ? "choose the layer the new hotspot belongs to" : "chọn lớp cho điểm mới"]);
        }
        // The citizen's own words stay in the report (staff read them); a title of theirs would be public for three
        // layers, so without one from staff the record is named by its kind and ward.
        if (string.IsNullOrWhiteSpace(title))
        {
            await using var w = new NpgsqlCommand("SELECT full_name FROM current_wards WHERE code = @ward", conn, tx);
            w.Parameters.Add(new NpgsqlParameter<string?>("ward", report!.Ward));
            title = $"{Layers.LayerNouns.Of(category)}{(await w.ExecuteScalarAsync(ct) is string ward ? $" – {ward}" : "")}";
        }
        var created = await editor.CreateAsync(conn, tx, caller, new NewHotspot(category, null, title, null, severity, report!.Lon, report.Lat, null, null),
            "field-report", note, english, ct);
        if (created.Outcome != EditOutcome.Ok)
        {
            return created;
        }
        var changes = await SetAsync(conn, tx, caller, report, "converted", created.Id, note, ct);
        await editor.CommitAsync(conn, tx, ct);
        return EditResult.Ok([.. created.Changes, .. changes], created.Id);
    }

    public async Task<EditResult> RejectAsync(Caller caller, long reportId, string? note, bool english, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return EditResult.Invalid([english ? "a note is required to reject a report" : "cần ghi chú khi từ chối phản ánh"]);
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (report, refusal) = await OpenReportAsync(conn, tx, caller, reportId, english, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var changes = await SetAsync(conn, tx, caller, report!, "rejected", null, note, ct);
        await tx.CommitAsync(ct);
        return EditResult.Ok(changes);
    }

    private sealed record OpenReport(long Id, string Category, string Text, string? Ward, double Lon, double Lat);

    private static async Task<(OpenReport? Report, EditResult? Refusal)> OpenReportAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Caller caller, long id,
        bool english, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT id, category, text, ward_code, ST_X(geom), ST_Y(geom), status FROM field_reports WHERE id = @id FOR UPDATE
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return (null, EditResult.Missing);
        }
        var report = new OpenReport(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetDouble(4), r.GetDouble(5));
        var status = r.GetString(6);
        if (!caller.Edits || !caller.MayChange(report.Ward))
        {
            return (null, EditResult.Denied(english ? "this report is outside your wards" : "phản ánh này ngoài phường/xã được giao"));
        }
        return status == "new" ? (report, null)
            : (null, EditResult.Invalid([english ? $"the report was already triaged ({status})" : $"phản ánh đã được xử lý ({status})"]));
    }

    private async Task<List<AuditEntry>> SetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Caller caller, OpenReport report, string status, long? hotspotId,
        string? note, CancellationToken ct)
    {
        await using (var cmd = new NpgsqlCommand("UPDATE field_reports SET status = @status, hotspot_id = coalesce(@hotspot, hotspot_id) WHERE id = @id", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", report.Id);
            cmd.Parameters.AddWithValue("status", status);
            cmd.Parameters.Add(new NpgsqlParameter<long?>("hotspot", hotspotId));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var key = report.Id.ToString(CultureInfo.InvariantCulture);
        var entries = new List<AuditEntry> { new("field_report", key, report.Ward, "status", "new", status, note?.Trim()) };
        if (hotspotId is { } h)
        {
            await Attachments.AttachmentStore.FollowReportAsync(conn, tx, report.Id, h, ct); // its photos go with it
            entries.Add(new AuditEntry("field_report", key, report.Ward, "hotspot", null, h.ToString(CultureInfo.InvariantCulture), null));
        }
        foreach (var e in entries)
        {
            await audit.WriteAsync(conn, tx, caller, e, ct);
        }
        return entries;
    }
}
