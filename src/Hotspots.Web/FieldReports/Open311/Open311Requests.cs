using System.Globalization;
using Npgsql;

namespace Hotspots.FieldReports.Open311;

/// <summary>What a client sends (Open311's POST requests fields, and the sender's own id).</summary>
public sealed record Open311Report(Open311Service Service, double Lat, double Lon, string Description, string? MediaUrl, string? ExternalId,
    string? ReporterName, string? ReporterPhone);

/// <summary>A report as anyone may read it: status and public fields only — no reporter, no phone, no citizen's words.</summary>
public sealed record Open311View(long Id, string Status, string? StatusNotes, Open311Service Service, string Description, string? Agency,
    DateTimeOffset RequestedAt, string? Address, double Lat, double Lon);

/// <summary>
/// Reports in and out for Open311. In: a field report on channel "open311" (source "open311:{client}"), its ward
/// found by PostGIS, the sender's id its natural key (sent twice, kept once), reporter's name and phone in the table
/// no public query reads. Out: the status, the kind and ward as the description, the position at the centre of its
/// 250 m cell — as the public map shows household-level records.
/// </summary>
public sealed class Open311Requests(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxDescription = 4000;

    // The public map's grid: a report is read back where a household-level record is shown.
    private const int Grid = Public.PublicReadModel.GridMetres;

    /// <summary>The report's id, or null when its place is outside Hanoi's 126 wards and communes.</summary>
    public async Task<long?> CreateAsync(long client, Open311Report report, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            WITH place AS (SELECT geom, ward_of(geom) AS ward FROM (SELECT ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) AS geom) p),
                 inside AS (SELECT geom, ward FROM place WHERE ward IS NOT NULL),
                 added AS (
                    -- the ward is given, so the table's own trigger does not look it up a second time
                    INSERT INTO field_reports (category, kind, text, photo_url, channel, received_at, geom, ward_code, source, external_id)
                    SELECT @category, @kind, @text, @photo, 'open311', @now, geom, ward, @source, @external FROM inside
                    ON CONFLICT (source, external_id) DO NOTHING
                    RETURNING id)
            SELECT (SELECT id FROM added), (SELECT id FROM field_reports WHERE source = @source AND external_id = @external),
                   EXISTS (SELECT 1 FROM inside)
            """, conn, tx);
        cmd.Parameters.AddWithValue("lon", report.Lon);
        cmd.Parameters.AddWithValue("lat", report.Lat);
        cmd.Parameters.AddWithValue("category", report.Service.Layer.Category!);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("kind", report.Service.Kind));
        cmd.Parameters.AddWithValue("text", report.Description);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("photo", report.MediaUrl));
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.AddWithValue("source", $"open311:{client.ToString(CultureInfo.InvariantCulture)}");
        cmd.Parameters.AddWithValue("external", report.ExternalId ?? Guid.NewGuid().ToString("N"));
        long? added, existing;
        bool inside;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            (added, existing, inside) = (r.IsDBNull(0) ? null : r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.GetBoolean(2));
        }
        if (!inside)
        {
            return null;
        }
        if (added is { } id && (report.ReporterName is not null || report.ReporterPhone is not null))
        {
            await using var who = new NpgsqlCommand("INSERT INTO field_report_reporters (report_id, reporter_name, reporter_phone) VALUES (@id, @name, @phone)", conn, tx);
            who.Parameters.AddWithValue("id", id);
            who.Parameters.Add(new NpgsqlParameter<string?>("name", report.ReporterName));
            who.Parameters.Add(new NpgsqlParameter<string?>("phone", report.ReporterPhone));
            await who.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return added ?? existing;
    }

    /// <summary>Reports of the Open311 channel (or any channel, by id), newest first, at most 1,000.</summary>
    public async Task<IReadOnlyList<Open311View>> ListAsync(long[]? ids, Open311Service? service, DateTimeOffset? from, DateTimeOffset? to,
        string? status, CancellationToken ct = default)
    {
        var where = new List<string>();
        await using var cmd = dataSource.CreateCommand();
        if (ids is not null)
        {
            where.Add("r.id = ANY(@ids)");
            cmd.Parameters.AddWithValue("ids", ids);
        }
        else
        {
            // The standard's default: the last 90 days.
            where.Add("r.received_at >= @from AND r.received_at <= @to");
            cmd.Parameters.AddWithValue("from", from ?? (to ?? time.GetUtcNow()).AddDays(-90));
            cmd.Parameters.AddWithValue("to", to ?? time.GetUtcNow());
        }
        if (service is not null)
        {
            where.Add(service.Kind is null ? "r.category = @category" : "r.category = @category AND r.kind = @kind");
            cmd.Parameters.AddWithValue("category", service.Layer.Category!);
            cmd.Parameters.Add(new NpgsqlParameter<string?>("kind", service.Kind));
        }
        if (status is "open" or "closed")
        {
            where.Add(status == "open" ? "r.status = 'new'" : "r.status <> 'new'");
        }
        cmd.CommandText = $"""
            SELECT r.id, r.status, r.category, r.kind, r.received_at, w.full_name,
                   ST_X(c.cell), ST_Y(c.cell)
            FROM field_reports r
            LEFT JOIN current_wards w ON w.code = r.ward_code
            CROSS JOIN LATERAL (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(
                   floor(ST_X(p) / {Grid}) * {Grid} + {Grid / 2}, floor(ST_Y(p) / {Grid}) * {Grid} + {Grid / 2}), 3857), 4326) AS cell
                   FROM ST_Transform(r.geom, 3857) p) c
            WHERE NOT r.is_sample AND {string.Join(" AND ", where)}
            ORDER BY r.received_at DESC, r.id DESC
            LIMIT 1000
            """;
        var list = new List<Open311View>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var category = reader.GetString(2);
            var kind = reader.IsDBNull(3) ? null : reader.GetString(3);
            var layer = Layers.LayerCatalog.OfCategory(category);
            var svc = Open311Services.Find(kind) ?? (layer is null ? null : Open311Services.Find(layer.Id));
            if (svc is null)
            {
                continue; // a report of the "other" kind: not one of the services
            }
            var ward = reader.IsDBNull(5) ? null : reader.GetString(5);
            var (state, notes) = reader.GetString(1) switch
            {
                "new" => ("open", (string?)null),
                "rejected" => ("closed", "Không xử lý (đã xem xét)"),
                _ => ("closed", "Đã chuyển thành điểm theo dõi trên bản đồ"),
            };
            list.Add(new Open311View(reader.GetInt64(0), state, notes, svc, ward is null ? svc.NameVi : $"{svc.NameVi} – {ward}",
                ward is null ? null : $"UBND {ward}", reader.GetFieldValue<DateTimeOffset>(4), ward, reader.GetDouble(7), reader.GetDouble(6)));
        }
        return list;
    }
}
