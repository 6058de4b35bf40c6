using System.Globalization;
using Hotspots.Accounts;
using Npgsql;

namespace Hotspots.Deadlines;

/// <summary>One default: a layer's (no kind) or a kind's number of days.</summary>
public sealed record DeadlineDefault(string Category, string? Subtype, int Days, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>The defaults at one moment, for a worker that applies them to many rows (an import's first load).</summary>
public sealed class DeadlineTable(IReadOnlyDictionary<(string Category, string Subtype), int> days)
{
    /// <summary>The deadline of a record of this layer and kind reported on this Hanoi day, or null when the layer has none.</summary>
    public DateOnly? For(string category, string? subtype, DateOnly reportedDay) =>
        days.TryGetValue((category, subtype ?? ""), out var d) || days.TryGetValue((category, ""), out d) ? reportedDay.AddDays(d) : null;
}

/// <summary>
/// Deadlines by kind (issue 18): how many days a new record has when it comes with no deadline. The database applies
/// them on insert (migration 0026's trigger, the same rule as <see cref="DeadlineTable.For"/>); admins change them here,
/// each change a line of the audit trail.
/// </summary>
public sealed class DeadlineDefaults(NpgsqlDataSource dataSource, Audit audit)
{
    public async Task<IReadOnlyList<DeadlineDefault>> ListAsync(CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT category, subtype, days, updated_by, updated_at FROM deadline_defaults ORDER BY category, subtype");
        var list = new List<DeadlineDefault>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new DeadlineDefault(r.GetString(0), r.GetString(1) is { Length: > 0 } s ? s : null, r.GetInt32(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
        }
        return list;
    }

    public async Task<DeadlineTable> LoadAsync(CancellationToken ct = default) =>
        new((await ListAsync(ct)).ToDictionary(d => (d.Category, d.Subtype ?? ""), d => d.Days));

    /// <summary>
    /// Sets a layer's or a kind's days (admins only); null days take a kind's own value away (it follows its layer
    /// again). Answers the problems in the caller's language, none when it was saved.
    /// </summary>
    public async Task<IReadOnlyList<string>> SetAsync(Caller caller, string layerId, string? kind, int? days, bool english, CancellationToken ct = default)
    {
        if (!caller.IsAdmin)
        {
            return [english ? "only admins change default deadlines" : "chỉ quản trị viên được đổi hạn xử lý mặc định"];
        }
        if (Layers.LayerCatalog.Find(layerId) is not { Category: { } category })
        {
            return [english ? "unknown layer" : "lớp dữ liệu không hợp lệ"];
        }
        if (kind is not null && Layers.SubtypeCatalog.Of(layerId).All(k => k.Id != kind))
        {
            return [english ? "kind must be one of the layer's kinds" : "loại điểm phải là một loại của lớp này"];
        }
        if (days is < 1 or > 3650 || days is null && kind is null)
        {
            return [english ? "days must be 1–3650 (a layer always has its days)" : "số ngày phải từ 1 đến 3650 (lớp dữ liệu luôn có số ngày)"];
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand(days is null
            ? "DELETE FROM deadline_defaults d WHERE category = @category AND subtype = @subtype RETURNING d.days, NULL::int"
            : """
              WITH old AS (SELECT days FROM deadline_defaults WHERE category = @category AND subtype = @subtype FOR UPDATE)
              INSERT INTO deadline_defaults AS d (category, subtype, days, updated_by, updated_at) VALUES (@category, @subtype, @days, @by, now())
              ON CONFLICT (category, subtype) DO UPDATE SET days = excluded.days, updated_by = excluded.updated_by, updated_at = now()
              RETURNING (SELECT days FROM old), d.days
              """, conn, tx);
        cmd.Parameters.AddWithValue("category", category);
        cmd.Parameters.AddWithValue("subtype", kind ?? "");
        cmd.Parameters.Add(new NpgsqlParameter<int?>("days", days));
        cmd.Parameters.AddWithValue("by", caller.Email);
        int? old = null, now = null;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                (old, now) = (r.IsDBNull(0) ? null : r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1));
            }
        }
        if (old != now)
        {
            await audit.WriteAsync(conn, tx, caller, new AuditEntry("deadline_defaults", $"{category}/{kind ?? ""}", null, "days",
                old?.ToString(CultureInfo.InvariantCulture), now?.ToString(CultureInfo.InvariantCulture), null), ct);
        }
        await tx.CommitAsync(ct);
        return [];
    }
}
