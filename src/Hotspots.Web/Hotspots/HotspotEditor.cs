using System.Globalization;
using Hotspots.Accounts;
using Hotspots.Snapshots;
using Npgsql;

namespace Hotspots.Records;

/// <summary>What an edit asks to change; a null field is left as it is, an empty text clears it (ClearDeadline removes
/// the deadline). Together with the title, unit and deadline, the officer, authority and result make the "6 rõ".</summary>
public sealed record HotspotChange(string? Status = null, string? Note = null, string? ResponsibleUnit = null, DateOnly? Deadline = null,
    bool ClearDeadline = false, int? Severity = null, string? Assignee = null, string? Authority = null, string? Result = null,
    long? DuplicateOf = null);

/// <summary>A new hotspot placed by a person (clicking the map or converting a field report).</summary>
public sealed record NewHotspot(string Category, string? Subtype, string Title, string? Description, int Severity, double Lon, double Lat,
    string? ResponsibleUnit, DateOnly? Deadline, string? Assignee = null, string? Authority = null, string? Result = null,
    DateTimeOffset? ReportedAt = null);

/// <summary>
/// Every change a person makes to hotspots: the lifecycle, the "6 rõ" fields and severity, one at a
/// time or for a selection, and new hotspots. Each checks the caller's wards against the record's ward in the
/// database (not what a screen showed), writes the status history and the audit trail in the same transaction,
/// and moves the data version so maps and caches show the change at once.
/// </summary>
public sealed class HotspotEditor(NpgsqlDataSource dataSource, Audit audit, SnapshotRefresher refresher)
{
    public const int MaxBulk = 1000;

    private sealed record Current(long Id, string? Ward, string Status, string? Unit, DateOnly? Deadline, int Severity,
        string? Assignee, string? Authority, string? Result, string Category, long? DuplicateOf);

    public Task<EditResult> UpdateAsync(Caller caller, long id, HotspotChange change, bool english, CancellationToken ct = default) =>
        ApplyAsync(caller, [id], change, english, ct);

    /// <summary>The same change for a selection: all of it, or (when one record is refused) none of it.</summary>
    public Task<EditResult> BulkAsync(Caller caller, IReadOnlyList<long> ids, HotspotChange change, bool english, CancellationToken ct = default) =>
        ids.Count is 0 or > MaxBulk
            ? Task.FromResult(EditResult.Invalid([english ? $"select 1 to {MaxBulk} records" : $"chọn từ 1 đến {MaxBulk} bản ghi"]))
            : ApplyAsync(caller, ids.Distinct().ToList(), change, english, ct);

    private async Task<EditResult> ApplyAsync(Caller caller, IReadOnlyList<long> ids, HotspotChange change, bool english, CancellationToken ct)
    {
        if (!caller.Edits)
        {
            return NotAnEditor(english);
        }
        var shapeProblems = Check(change, english);
        if (shapeProblems.Count > 0)
        {
            return EditResult.Invalid(shapeProblems);
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var rows = await LockAsync(conn, tx, ids, ct);
        if (rows.Count < ids.Count)
        {
            return EditResult.Missing;
        }
        var outside = rows.Where(r => !caller.MayChange(r.Ward)).Select(r => r.Id.ToString(CultureInfo.InvariantCulture)).ToList();
        if (outside.Count > 0)
        {
            return EditResult.Denied((english ? "outside your wards: " : "ngoài phường/xã được giao: ") + string.Join(", ", outside.Take(20)));
        }
        var problems = new List<string>();
        if (change.DuplicateOf is { } target)
        {
            // Marked as repeating another: closed as "không xử lý" from any open status, with the link in its history.
            var (refusal, root) = await DuplicateTargetAsync(conn, tx, rows, target, english, ct);
            if (refusal is not null)
            {
                return EditResult.Invalid([refusal]);
            }
            var why = english ? $"duplicate of #{root}" : $"trùng với điểm #{root}";
            change = change with
            {
                DuplicateOf = root, Status = HotspotStatus.Rejected,
                Note = string.IsNullOrWhiteSpace(change.Note) ? why : $"{why}: {change.Note.Trim()}",
            };
        }
        foreach (var r in rows)
        {
            if (change.DuplicateOf is not null)
            {
                if (!HotspotStatus.IsOpen(r.Status))
                {
                    problems.Add(english ? $"#{r.Id}: only an open record can be marked a duplicate" : $"#{r.Id}: chỉ điểm đang mở mới đánh dấu trùng được");
                }
            }
            else if (change.Status is { } to && to != r.Status)
            {
                if (!HotspotStatus.CanMove(r.Status, to))
                {
                    problems.Add(english ? $"#{r.Id}: {r.Status} cannot become {to} (next: {string.Join(", ", HotspotStatus.NextOf(r.Status))})"
                        : $"#{r.Id}: không thể chuyển {r.Status} → {to} (được: {string.Join(", ", HotspotStatus.NextOf(r.Status))})");
                }
                else if (HotspotStatus.NeedsNote(r.Status, to) && string.IsNullOrWhiteSpace(change.Note))
                {
                    problems.Add(english ? $"#{r.Id}: a note is required to make it {to}" : $"#{r.Id}: cần ghi chú khi chuyển sang {to}");
                }
            }
        }
        if (problems.Count > 0)
        {
            return EditResult.Invalid(problems);
        }
        var changes = new List<AuditEntry>();
        foreach (var r in rows)
        {
            changes.AddRange(await WriteAsync(conn, tx, caller, r, change, ct));
        }
        if (changes.Count > 0)
        {
            await CommitAsync(conn, tx, ct);
        }
        return EditResult.Ok(changes);
    }

    public async Task<EditResult> CreateAsync(Caller caller, NewHotspot h, string source, string? note, bool english, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await CreateAsync(conn, tx, caller, h, source, note, english, ct);
        if (result.Outcome == EditOutcome.Ok)
        {
            await CommitAsync(conn, tx, ct);
        }
        return result;
    }

    /// <summary>Creates inside a caller's transaction (a field report converted in the same one); commit with <see cref="CommitAsync"/>.</summary>
    public async Task<EditResult> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Caller caller, NewHotspot h, string source, string? note,
        bool english, CancellationToken ct)
    {
        if (!caller.Edits)
        {
            return NotAnEditor(english);
        }
        var problems = new List<string>();
        if (Layers.LayerCatalog.All.FirstOrDefault(l => l.Category == h.Category) is not { } layer)
        {
            problems.Add(english ? "unknown category" : "lĩnh vực không hợp lệ");
        }
        else if (h.Subtype is not null && Layers.SubtypeCatalog.Of(layer.Id).All(k => k.Id != h.Subtype))
        {
            // The kind is shown on the public map as it is: only the layer's catalogue, never free text.
            var kinds = string.Join(", ", Layers.SubtypeCatalog.Of(layer.Id).Select(k => k.Id));
            problems.Add(english ? $"subtype must be one of the layer's kinds: {kinds}" : $"loại điểm phải là một loại của lớp này: {kinds}");
        }
        if (string.IsNullOrWhiteSpace(h.Title) || h.Title.Length > 300)
        {
            problems.Add(english ? "a title (up to 300 characters) is required" : "cần tiêu đề (tối đa 300 ký tự)");
        }
        if (h.Description?.Length > HotspotDraft.MaxDescription)
        {
            problems.Add(english ? $"the description may have up to {HotspotDraft.MaxDescription} characters" : $"mô tả tối đa {HotspotDraft.MaxDescription} ký tự");
        }
        if (h.Severity is < 1 or > 5)
        {
            problems.Add(english ? "severity must be 1–5" : "mức độ phải từ 1 đến 5");
        }
        problems.AddRange(Check(new HotspotChange(ResponsibleUnit: h.ResponsibleUnit, Deadline: h.Deadline, Assignee: h.Assignee,
            Authority: h.Authority, Result: h.Result), english));
        if (problems.Count > 0)
        {
            return EditResult.Invalid(problems);
        }
        string? ward;
        await using (var w = new NpgsqlCommand("SELECT ward_of(@at)", conn, tx))
        {
            w.Parameters.AddWithValue("at", HotspotDraft.Point(h.Lon, h.Lat));
            ward = await w.ExecuteScalarAsync(ct) as string;
        }
        if (ward is null)
        {
            return EditResult.Invalid([english ? "the point is outside Hanoi's wards and communes" : "điểm nằm ngoài các phường, xã của Hà Nội"]);
        }
        if (!caller.MayChange(ward))
        {
            return EditResult.Denied(english ? $"ward {ward} is not yours" : $"phường/xã {ward} không thuộc phạm vi được giao");
        }
        long id;
        await using (var cmd = new NpgsqlCommand(HotspotDraft.InsertSql + " RETURNING id", conn, tx))
        {
            new HotspotDraft(h.Category, h.Subtype, h.Title, h.Description, h.Severity, HotspotStatus.Reported, h.ResponsibleUnit, h.Deadline,
                h.Lon, h.Lat, source, WardCode: ward, ReportedAt: h.ReportedAt?.ToUniversalTime(), Assignee: h.Assignee, Authority: h.Authority,
                Result: h.Result).Bind(cmd.Parameters);
            id = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }
        await StatusHistoryAsync(conn, tx, id, caller, null, HotspotStatus.Reported, note, ct);
        var created = new AuditEntry("hotspot", id.ToString(CultureInfo.InvariantCulture), ward, "created", null,
            $"{h.Category}: {h.Title.Trim()}", note);
        await audit.WriteAsync(conn, tx, caller, created, ct);
        return EditResult.Ok([created], id);
    }

    /// <summary>
    /// Commits a transaction that changed hotspots. The triggers logged what changed; this node's refresher applies
    /// it within moments (every node's would, on the database's notification), and moves the data version.
    /// </summary>
    public async Task CommitAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await tx.CommitAsync(ct);
        refresher.Signal();
    }

    private static EditResult NotAnEditor(bool english) => EditResult.Denied(english ? "viewers cannot edit" : "người xem không được sửa");

    private static List<string> Check(HotspotChange c, bool english)
    {
        var problems = new List<string>();
        if (c.Status is not null && !HotspotStatus.All.Contains(c.Status))
        {
            problems.Add(english ? $"status must be one of {string.Join(", ", HotspotStatus.All)}" : $"trạng thái phải là một trong {string.Join(", ", HotspotStatus.All)}");
        }
        if (c.Severity is < 1 or > 5)
        {
            problems.Add(english ? "severity must be 1–5" : "mức độ phải từ 1 đến 5");
        }
        void Limit(string? text, int max, string en, string vi)
        {
            if (text?.Length > max)
            {
                problems.Add(english ? $"{en}: up to {max} characters" : $"{vi}: tối đa {max} ký tự");
            }
        }
        Limit(c.ResponsibleUnit, 200, "responsible unit", "đơn vị chủ trì");
        Limit(c.Assignee, 200, "officer in charge", "cán bộ phụ trách");
        Limit(c.Authority, 200, "authority", "cấp có thẩm quyền");
        Limit(c.Result, 1000, "result", "kết quả");
        if (c.Deadline is { Year: < 2000 or > 2100 })
        {
            problems.Add(english ? "deadline must be a date between 2000 and 2100" : "hạn xử lý phải trong khoảng 2000–2100");
        }
        if (c.Note is { Length: > 2000 })
        {
            problems.Add(english ? "note: up to 2,000 characters" : "ghi chú: tối đa 2.000 ký tự");
        }
        return problems;
    }

    // The record repeated must exist, be of the same layer and not be one of those marked; a record itself marked as
    // a duplicate stands for the one it repeats, so chains end at the first report.
    private static async Task<(string? Refusal, long Root)> DuplicateTargetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<Current> rows, long target,
        bool english, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT category, coalesce(duplicate_of, id) FROM hotspots WHERE id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", target);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return (english ? $"no hotspot #{target}" : $"không có điểm #{target}", 0);
        }
        var (category, root) = (r.GetString(0), r.GetInt64(1));
        if (rows.Any(x => x.Id == root || x.Id == target))
        {
            return (english ? "a record cannot repeat itself" : "một điểm không thể trùng với chính nó", 0);
        }
        if (rows.Any(x => x.Category != category))
        {
            return (english ? $"#{target} is of another layer" : $"điểm #{target} thuộc lớp khác", 0);
        }
        return (null, root);
    }

    private static async Task<List<Current>> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT id, ward_code, status, responsible_unit, deadline, severity, assignee, authority, result, category, duplicate_of
            FROM hotspots WHERE id = ANY(@ids) ORDER BY id FOR UPDATE
            """, conn, tx);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        var rows = new List<Current>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(new Current(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateOnly>(4), r.GetInt16(5), r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetString(9), r.IsDBNull(10) ? null : r.GetInt64(10)));
        }
        return rows;
    }

    private async Task<List<AuditEntry>> WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Caller caller, Current r, HotspotChange c, CancellationToken ct)
    {
        var key = r.Id.ToString(CultureInfo.InvariantCulture);
        static string? Text(string? asked, string? old) => asked is null ? old : asked.Trim().Normalize() is { Length: > 0 } t ? t : null;
        var unit = Text(c.ResponsibleUnit, r.Unit);
        var assignee = Text(c.Assignee, r.Assignee);
        var authority = Text(c.Authority, r.Authority);
        var result = Text(c.Result, r.Result);
        var deadline = c.ClearDeadline ? null : c.Deadline ?? r.Deadline;
        var status = c.Status ?? r.Status;
        var severity = c.Severity ?? r.Severity;
        var changes = new List<AuditEntry>();
        void Diff(string field, string? old, string? now)
        {
            if (old != now)
            {
                changes.Add(new AuditEntry("hotspot", key, r.Ward, field, old, now, c.Note?.Trim()));
            }
        }
        Diff("status", r.Status, status);
        Diff("responsible_unit", r.Unit, unit);
        Diff("deadline", r.Deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), deadline?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Diff("severity", r.Severity.ToString(CultureInfo.InvariantCulture), severity.ToString(CultureInfo.InvariantCulture));
        Diff("assignee", r.Assignee, assignee);
        Diff("authority", r.Authority, authority);
        Diff("result", r.Result, result);
        var duplicateOf = status == HotspotStatus.Rejected ? c.DuplicateOf ?? r.DuplicateOf : null;
        Diff("duplicate_of", r.DuplicateOf?.ToString(CultureInfo.InvariantCulture), duplicateOf?.ToString(CultureInfo.InvariantCulture));
        if (changes.Count == 0)
        {
            return changes;
        }
        await using (var cmd = new NpgsqlCommand($"""
            UPDATE hotspots SET status = @status, responsible_unit = @unit, deadline = @deadline, severity = @severity,
                assignee = @assignee, authority = @authority, result = @result, duplicate_of = @duplicate_of,
                verified_at = CASE WHEN @status IN ({HotspotStatus.VerifiedOrLaterSql}) THEN coalesce(verified_at, now()) ELSE verified_at END,
                resolved_at = CASE WHEN @status = 'resolved' THEN coalesce(resolved_at, now()) WHEN status = 'resolved' THEN NULL ELSE resolved_at END
            WHERE id = @id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", r.Id);
            cmd.Parameters.AddWithValue("status", status);
            cmd.Parameters.Add(new NpgsqlParameter<string?>("unit", unit));
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("deadline", deadline));
            cmd.Parameters.AddWithValue("severity", (short)severity);
            cmd.Parameters.Add(new NpgsqlParameter<string?>("assignee", assignee));
            cmd.Parameters.Add(new NpgsqlParameter<string?>("authority", authority));
            cmd.Parameters.Add(new NpgsqlParameter<string?>("result", result));
            cmd.Parameters.Add(new NpgsqlParameter<long?>("duplicate_of", duplicateOf));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (status != r.Status)
        {
            await StatusHistoryAsync(conn, tx, r.Id, caller, r.Status, status, c.Note, ct);
        }
        foreach (var e in changes)
        {
            await audit.WriteAsync(conn, tx, caller, e, ct);
        }
        return changes;
    }

    private static async Task StatusHistoryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, Caller caller, string? from, string to, string? note, CancellationToken ct)
    {
        // Staff notes stay internal: they may name people; the public map shows statuses, never these notes.
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO hotspot_status_history (hotspot_id, changed_at, changed_by, from_status, to_status, note, internal)
            VALUES (@id, now(), @by, @from, @to, @note, true)
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("by", caller.Email);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("from", from));
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("note", string.IsNullOrWhiteSpace(note) ? null : note.Trim().Normalize()));
        await cmd.ExecuteNonQueryAsync(ct);
    }

}
