using System.Globalization;
using Hotspots.Accounts;
using Hotspots.Database;
using Hotspots.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using NetTopologySuite.Geometries;

namespace Hotspots.Attachments;

/// <summary>What a photo or file is attached to: a record, or a field report not yet made one.</summary>
public readonly record struct AttachmentOwner(long? HotspotId, long? FieldReportId)
{
    public static AttachmentOwner Record(long id) => new(id, null);
    public static AttachmentOwner Report(long id) => new(null, id);
    private string Entity => HotspotId is not null ? "hotspot" : "field_report";
    private long Id => HotspotId ?? FieldReportId!.Value;
    internal AuditEntry Audit(string? ward, string field, string? old, string? now) =>
        new(Entity, Id.ToString(CultureInfo.InvariantCulture), ward, field, old, now, null);
}

/// <summary>One attachment as a list shows it (never its bytes, never the camera's place for those who may not see it).</summary>
public sealed record AttachmentInfo(long Id, string Kind, string ContentType, string FileName, int SizeBytes, int? Width, int? Height,
    DateTimeOffset? TakenAt, double? TakenLon, double? TakenLat, bool IsPublic, DateTimeOffset UploadedAt)
{
    public string Url => $"/api/attachments/{Id}";
    public string? ThumbnailUrl => Kind == "photo" ? $"/api/attachments/{Id}/thumbnail" : null;
}

public sealed record AttachmentContent(byte[] Bytes, string ContentType, string FileName, bool IsPublic);

/// <summary>
/// Photos and files of records and field reports, kept in PostgreSQL. Who sees what: those who see a ward's personal
/// data (planners, and its ward leads) see every attachment there; viewers and the public only those a planner made
/// public — and the public only on a record the public map shows. Adding and removing is for whoever may edit the
/// ward; making public is for planners. Every change is a line of the record's history.
/// </summary>
public sealed class AttachmentStore(NpgsqlDataSource dataSource, Audit audit, IOptions<HotspotsOptions> options)
{
    // The owner's ward and whether the public map shows it, for one record or report.
    private const string OwnerSql = """
        SELECT coalesce(h.ward_code, f.ward_code), EXISTS (SELECT 1 FROM public_hotspots p WHERE p.id = h.id), h.id IS NOT NULL OR f.id IS NOT NULL
        FROM (SELECT @hotspot::bigint AS hid, @report::bigint AS fid) k
        LEFT JOIN hotspots h ON h.id = k.hid LEFT JOIN field_reports f ON f.id = k.fid
        """;

    private const string Columns = """
        a.id, a.kind, a.content_type, a.file_name, a.size_bytes, a.width, a.height, a.taken_at, ST_X(a.taken_geom), ST_Y(a.taken_geom), a.is_public, a.uploaded_at
        """;

    public int MaxBytes => options.Value.AttachmentMaxMb * 1024 * 1024;

    public int MaxMb => options.Value.AttachmentMaxMb;

    public int PerRecord => options.Value.AttachmentsPerRecord;

    /// <summary>The attachments of a record or report that this person may see (null: the public), oldest first.</summary>
    public async Task<IReadOnlyList<AttachmentInfo>?> ListAsync(Caller? caller, AttachmentOwner owner, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        if (await OwnerAsync(conn, null, owner, ct) is not { } found)
        {
            return null;
        }
        var all = caller is not null && caller.SeesPersonalDataIn(found.Ward);
        if (caller is null && !found.Public)
        {
            return [];
        }
        await using var cmd = new NpgsqlCommand($"""
            SELECT {Columns} FROM attachments a
            WHERE (a.hotspot_id = @hotspot OR @hotspot::bigint IS NULL AND a.field_report_id = @report) AND (@all OR a.is_public)
            ORDER BY a.uploaded_at, a.id
            """, conn);
        Keys(cmd, owner);
        cmd.Parameters.AddWithValue("all", all);
        var list = new List<AttachmentInfo>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r, withPlace: all));
        }
        return list;
    }

    /// <summary>Checks, cleans and stores one file; the same file sent again to the same owner is the one already kept.</summary>
    public async Task<(AttachmentInfo? Added, AttachmentProblem? Problem)> AddAsync(Caller caller, AttachmentOwner owner, string fileName, byte[] bytes,
        CancellationToken ct = default)
    {
        if (bytes.Length > MaxBytes)
        {
            return (null, AttachmentProblem.TooLarge(MaxMb));
        }
        var (file, problem) = PreparedFile.From(bytes);
        return file is null ? (null, problem) : await AddAsync(caller, owner, fileName, file, ct);
    }

    /// <summary>Stores a file already checked and cleaned (<see cref="PreparedFile.From"/>; a form prepares it when picked).</summary>
    public async Task<(AttachmentInfo? Added, AttachmentProblem? Problem)> AddAsync(Caller caller, AttachmentOwner owner, string fileName, PreparedFile file,
        CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await OwnerAsync(conn, tx, owner, ct, lockIt: true) is not { } found)
        {
            return (null, AttachmentProblem.NotFound);
        }
        if (!caller.Edits || !caller.MayChange(found.Ward))
        {
            return (null, AttachmentProblem.Forbidden);
        }
        await using (var count = new NpgsqlCommand("SELECT count(*)::int FROM attachments a WHERE a.hotspot_id = @hotspot OR @hotspot::bigint IS NULL AND a.field_report_id = @report", conn, tx))
        {
            Keys(count, owner);
            if ((int)(await count.ExecuteScalarAsync(ct))! >= options.Value.AttachmentsPerRecord)
            {
                return (null, AttachmentProblem.TooMany(options.Value.AttachmentsPerRecord));
            }
        }
        var name = CleanName(fileName, file.ContentType);
        await using var insert = new NpgsqlCommand($"""
            WITH added AS (
                INSERT INTO attachments (hotspot_id, field_report_id, kind, content_type, file_name, size_bytes, sha256, width, height, taken_at,
                                         taken_geom, uploaded_by, content, thumbnail)
                VALUES (@hotspot, @report, @kind, @type, @name, @size, @sha, @width, @height, @taken, @place, @by, @content, @thumb)
                ON CONFLICT DO NOTHING
                RETURNING *)
            SELECT {Columns}, true FROM added a
            UNION ALL
            SELECT {Columns}, false FROM attachments a
            WHERE a.sha256 = @sha AND (a.hotspot_id = @hotspot OR @hotspot::bigint IS NULL AND a.field_report_id = @report AND a.hotspot_id IS NULL)
            LIMIT 1
            """, conn, tx);
        Keys(insert, owner);
        insert.Parameters.AddWithValue("kind", file.Kind);
        insert.Parameters.AddWithValue("type", file.ContentType);
        insert.Parameters.AddWithValue("name", name);
        insert.Parameters.AddWithValue("size", file.Content.Length);
        insert.Parameters.AddWithValue("sha", file.Sha256);
        insert.Parameters.Add(new NpgsqlParameter<int?>("width", file.Width));
        insert.Parameters.Add(new NpgsqlParameter<int?>("height", file.Height));
        insert.Parameters.Add(new NpgsqlParameter<DateTime?>("taken", file.Hint.TakenAt?.UtcDateTime));
        insert.Parameters.Add(new NpgsqlParameter<Geometry?>("place", file.Hint.HasPlace
            ? new Point(file.Hint.Lon!.Value, file.Hint.Lat!.Value) { SRID = 4326 } : null));
        insert.Parameters.AddWithValue("by", caller.Email);
        insert.Parameters.AddWithValue("content", file.Content);
        insert.Parameters.Add(new NpgsqlParameter<byte[]?>("thumb", file.Thumbnail));
        AttachmentInfo added;
        bool isNew;
        await using (var r = await insert.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            added = Read(r, withPlace: true);
            isNew = r.GetBoolean(12);
        }
        if (isNew)
        {
            await audit.WriteAsync(conn, tx, caller, owner.Audit(found.Ward, "attachment", null, added.FileName), ct);
        }
        await tx.CommitAsync(ct);
        return (added, null);
    }

    /// <summary>An attachment's cleaned bytes (or its thumbnail), if this person (null: the public) may see it.</summary>
    public async Task<AttachmentContent?> ReadAsync(Caller? caller, long id, bool thumbnail, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT {(thumbnail ? "a.thumbnail, 'image/webp'" : "a.content, a.content_type")}, a.file_name, a.is_public,
                   coalesce(h.ward_code, f.ward_code), EXISTS (SELECT 1 FROM public_hotspots p WHERE p.id = a.hotspot_id)
            FROM attachments a LEFT JOIN hotspots h ON h.id = a.hotspot_id LEFT JOIN field_reports f ON f.id = a.field_report_id
            WHERE a.id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || r.IsDBNull(0))
        {
            return null;
        }
        var isPublic = r.GetBoolean(3);
        var ward = r.IsDBNull(4) ? null : r.GetString(4);
        var allowed = caller is null ? isPublic && r.GetBoolean(5) : isPublic || caller.SeesPersonalDataIn(ward);
        return allowed ? new AttachmentContent(r.GetFieldValue<byte[]>(0), r.GetString(1), r.GetString(2), isPublic) : null;
    }

    /// <summary>A planner shows a photo or file to everyone (on a public record), or takes it back.</summary>
    public Task<AttachmentProblem?> SetPublicAsync(Caller caller, long id, bool isPublic, CancellationToken ct = default) =>
        ChangeAsync(caller, id, caller.CityWide ? null : AttachmentProblem.PlannersOnly,
            "UPDATE attachments SET is_public = @public WHERE id = @id AND is_public <> @public RETURNING file_name",
            "attachment_public", name => (isPublic ? null : name, isPublic ? name : null), ct, ("public", isPublic));

    /// <summary>Removes an attachment (whoever may edit its ward).</summary>
    public Task<AttachmentProblem?> DeleteAsync(Caller caller, long id, CancellationToken ct = default) =>
        ChangeAsync(caller, id, null, "DELETE FROM attachments WHERE id = @id RETURNING file_name", "attachment", name => (name, null), ct);

    private async Task<AttachmentProblem?> ChangeAsync(Caller caller, long id, AttachmentProblem? refused, string sql, string field,
        Func<string, (string? Old, string? New)> values, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var find = new NpgsqlCommand("""
            SELECT a.hotspot_id, a.field_report_id, coalesce(h.ward_code, f.ward_code)
            FROM attachments a LEFT JOIN hotspots h ON h.id = a.hotspot_id LEFT JOIN field_reports f ON f.id = a.field_report_id
            WHERE a.id = @id FOR UPDATE OF a
            """, conn, tx);
        find.Parameters.AddWithValue("id", id);
        AttachmentOwner owner;
        string? ward;
        await using (var r = await find.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct))
            {
                return AttachmentProblem.NotFound;
            }
            owner = new AttachmentOwner(r.IsDBNull(0) ? null : r.GetInt64(0), r.IsDBNull(0) ? r.GetInt64(1) : null);
            ward = r.IsDBNull(2) ? null : r.GetString(2);
        }
        if (!caller.Edits || !caller.MayChange(ward))
        {
            return caller.SeesPersonalDataIn(ward) || caller.Edits ? AttachmentProblem.Forbidden : AttachmentProblem.NotFound;
        }
        if (refused is not null)
        {
            return refused;
        }
        var name = (string?)await conn.ScalarAsync(sql, tx, ct, [("id", id), .. args]);
        if (name is not null)
        {
            var (old, now) = values(name);
            await audit.WriteAsync(conn, tx, caller, owner.Audit(ward, field, old, now), ct);
        }
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>A field report linked to or made into a record: its photos and files are the record's too (once each).</summary>
    public static Task FollowReportAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long reportId, long hotspotId, CancellationToken ct) =>
        conn.ExecAsync("""
            UPDATE attachments a SET hotspot_id = @hotspot
            WHERE a.field_report_id = @report AND a.hotspot_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM attachments b WHERE b.hotspot_id = @hotspot AND b.sha256 = a.sha256)
            """, tx, ct, ("report", reportId), ("hotspot", hotspotId));

    private static async Task<(string? Ward, bool Public)?> OwnerAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, AttachmentOwner owner, CancellationToken ct,
        bool lockIt = false)
    {
        if (lockIt)
        {
            // Two uploads to one record at once count each other against the limit.
            await conn.ExecAsync("SELECT pg_advisory_xact_lock(hashtext('attachments:' || @key))", tx, ct,
                ("key", owner.HotspotId is { } h ? $"h{h}" : $"r{owner.FieldReportId}"));
        }
        await using var cmd = new NpgsqlCommand(OwnerSql, conn, tx);
        Keys(cmd, owner);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return r.GetBoolean(2) ? (r.IsDBNull(0) ? null : r.GetString(0), r.GetBoolean(1)) : null;
    }

    private static void Keys(NpgsqlCommand cmd, AttachmentOwner owner)
    {
        cmd.Parameters.Add(new NpgsqlParameter<long?>("hotspot", owner.HotspotId));
        cmd.Parameters.Add(new NpgsqlParameter<long?>("report", owner.HotspotId is null ? owner.FieldReportId : null));
    }

    private static AttachmentInfo Read(NpgsqlDataReader r, bool withPlace) => new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.GetInt32(4), r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6),
        r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), withPlace && !r.IsDBNull(8) ? r.GetDouble(8) : null,
        withPlace && !r.IsDBNull(9) ? r.GetDouble(9) : null, r.GetBoolean(10), r.GetFieldValue<DateTimeOffset>(11));

    // A name is shown and offered as the download's name, never used as a path: its folders and control characters
    // go, and it ends as what the content is.
    internal static string CleanName(string fileName, string contentType)
    {
        var name = new string(Path.GetFileName(fileName.Replace('\\', '/')).Where(c => !char.IsControl(c)).ToArray()).Trim();
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = contentType switch { "image/jpeg" => ".jpg", "image/png" => ".png", "image/webp" => ".webp", _ => ".pdf" };
        stem = stem.Length == 0 ? "tep" : stem.Normalize(System.Text.NormalizationForm.FormC);
        return (stem.Length > 150 ? stem[..150] : stem) + extension;
    }
}
