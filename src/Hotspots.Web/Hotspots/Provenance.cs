using Npgsql;

namespace Hotspots.Records;

/// <summary>
/// Where a record came from and when it was last verified (issue 20, item 1): <see cref="Kind"/> is "sample",
/// "official" (<see cref="Reference"/>: the plan it comes from), "import" (<see cref="File"/>, <see cref="Source"/>),
/// "field-report" (<see cref="ReportId"/>, <see cref="Channel"/>), "person" (made in the dashboard) or "feed" (another
/// source). Who made it and who verified it are given only to staff who edit; the words are the page's (resources).
/// </summary>
public sealed record Provenance(string Kind, string Source, DateTimeOffset At, string? Reference, string? File, long? ReportId, string? Channel,
    string? MadeBy, DateTimeOffset? VerifiedAt, string? VerifiedBy)
{
    private static readonly Dictionary<string, string> Official = new()
    {
        ["official:hanoi-flood-points"] = "Kế hoạch 138/KH-UBND (2024), Quyết định 2280/QĐ-UBND (2026)",
    };

    public static async Task<Provenance?> OfAsync(NpgsqlDataSource dataSource, long id, bool staff, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT h.source, h.is_sample, h.created_at, r.file_name, r.finished_at, f.id, f.channel, h.verified_at,
                   (SELECT changed_by FROM hotspot_status_history s WHERE s.hotspot_id = h.id AND s.to_status = 'verified' ORDER BY s.changed_at DESC LIMIT 1),
                   (SELECT user_email FROM audit_log a WHERE a.entity = 'hotspot' AND a.entity_id = h.id::text AND a.field = 'created' ORDER BY a.id LIMIT 1)
            FROM hotspots h
            LEFT JOIN import_runs r ON r.id = h.import_run
            LEFT JOIN LATERAL (SELECT id, channel FROM field_reports WHERE hotspot_id = h.id AND status = 'converted' ORDER BY id LIMIT 1) f ON true
            WHERE h.id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }
        var source = r.GetString(0);
        var kind = r.GetBoolean(1) ? "sample"
            : source.StartsWith("official:", StringComparison.Ordinal) ? "official"
            : !r.IsDBNull(3) ? "import"
            : !r.IsDBNull(5) ? "field-report"
            : source == "dashboard" ? "person"
            : "feed";
        return new Provenance(kind, source, kind == "import" && !r.IsDBNull(4) ? r.GetFieldValue<DateTimeOffset>(4) : r.GetFieldValue<DateTimeOffset>(2),
            kind == "official" ? Official.GetValueOrDefault(source, source["official:".Length..]) : null,
            r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6),
            staff && !r.IsDBNull(9) ? r.GetString(9) : null,
            r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
            // an official list verified itself (its loader writes "official-data"): no person to name
            staff && !r.IsDBNull(8) && r.GetString(8) is not ("official-data" or Accounts.Audit.SystemActor) ? r.GetString(8) : null);
    }
}
