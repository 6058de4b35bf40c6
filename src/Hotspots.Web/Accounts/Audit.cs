using Npgsql;

namespace Hotspots.Accounts;

/// <summary>One changed field of one record: what, where, old → new, and the note given with it.</summary>
public sealed record AuditEntry(string Entity, string EntityId, string? WardCode, string Field, string? OldValue, string? NewValue, string? Note);

/// <summary>One line of a record's history as the panels show it.</summary>
public sealed record AuditLine(DateTimeOffset At, string Who, string Field, string? OldValue, string? NewValue, string? Note);

/// <summary>
/// The append-only trail of every change made through the product (the table refuses UPDATE, DELETE and
/// TRUNCATE). Written in the same transaction as the change it records, so neither exists without the other.
/// </summary>
public sealed class Audit(NpgsqlDataSource dataSource)
{
    public const string SystemActor = "system";

    public async Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Caller? by, AuditEntry e, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO audit_log (user_id, user_email, entity, entity_id, ward_code, field, old_value, new_value, note)
            VALUES (@user, @email, @entity, @id, @ward, @field, @old, @new, @note)
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<long?>("user", by?.UserId));
        cmd.Parameters.AddWithValue("email", by?.Email ?? SystemActor);
        cmd.Parameters.AddWithValue("entity", e.Entity);
        cmd.Parameters.AddWithValue("id", e.EntityId);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("ward", e.WardCode));
        cmd.Parameters.AddWithValue("field", e.Field);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("old", e.OldValue));
        cmd.Parameters.Add(new NpgsqlParameter<string?>("new", e.NewValue));
        cmd.Parameters.Add(new NpgsqlParameter<string?>("note", e.Note));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A record's history, newest first.</summary>
    public async Task<IReadOnlyList<AuditLine>> HistoryAsync(string entity, string entityId, int limit = 200, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT at, user_email, field, old_value, new_value, note FROM audit_log
            WHERE entity = @entity AND entity_id = @id ORDER BY at DESC, id DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("entity", entity);
        cmd.Parameters.AddWithValue("id", entityId);
        cmd.Parameters.AddWithValue("limit", limit);
        var list = new List<AuditLine>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AuditLine(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        }
        return list;
    }
}
