using System.Text.RegularExpressions;
using Hotspots.Database;
using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// The refresher's temporary tables, kept by its connection from one batch to the next, instead of created and
/// dropped in every batch. The parts write them as every other temporary table is written (<c>CREATE TEMP TABLE t ON
/// COMMIT DROP AS …</c>, or with columns); <see cref="Keep"/> turns that into a fill of the table the connection
/// already has (<c>INSERT INTO t …</c>), or its first creation. <see cref="OfAsync"/> empties them first.
/// Why: creating and dropping a temporary table writes the catalogs (its class, type, columns; ~1.2 ms), and so does
/// emptying it at commit (ON COMMIT DELETE ROWS truncates every such table's files at every commit: 25 tables, 8 ms);
/// a one-edit batch fills some twenty-five of them. Deleting their few rows costs microseconds; a table grown past
/// <see cref="TruncateFrom"/> (a large batch, or the dead rows of many small ones) is truncated instead.
/// </summary>
public sealed partial class ScratchTables(HashSet<string> kept)
{
    public const long TruncateFrom = 64 * 1024;

    /// <summary>The temporary tables the connection has now (none on a new session), emptied.</summary>
    public static async Task<ScratchTables> OfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var empty = new List<string>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT relname, pg_relation_size(oid) >= @big FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r'
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("big", TruncateFrom);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                kept.Add(r.GetString(0));
                empty.Add(r.GetBoolean(1) ? $"TRUNCATE {r.GetString(0)}" : $"DELETE FROM {r.GetString(0)}");
            }
        }
        if (empty.Count > 0)
        {
            await conn.ExecAsync(string.Join(";\n", empty), tx, ct);
        }
        return new ScratchTables(kept);
    }

    /// <summary>The SQL with each temporary table it creates turned into a fill of the kept one, or its first creation.</summary>
    public string Keep(string sql)
    {
        sql = CreateAs().Replace(sql, m => kept.Contains(m.Groups[1].Value)
            ? $"INSERT INTO {m.Groups[1].Value}"
            : $"CREATE TEMP TABLE {m.Groups[1].Value} AS");
        return CreateWithColumns().Replace(sql, m => kept.Contains(m.Groups[1].Value)
            ? ""
            : $"CREATE TEMP TABLE {m.Groups[1].Value} {m.Groups[2].Value};");
    }

    [GeneratedRegex(@"CREATE TEMP TABLE (\w+) ON COMMIT DROP AS\b")]
    private static partial Regex CreateAs();

    [GeneratedRegex(@"CREATE TEMP TABLE (\w+) (\([^;]*\)) ON COMMIT DROP;")]
    private static partial Regex CreateWithColumns();
}
