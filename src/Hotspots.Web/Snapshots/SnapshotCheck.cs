using System.Text;
using Hotspots.Database;
using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// Proof that the batches keep what a rebuild would make: applies what is pending, then, in one transaction that is
/// rolled back, rebuilds every part at the snapshot's own clock into temporary tables of the same names (they come
/// first on the search path, so the parts' SQL writes them unchanged) and compares them with the kept tables, row for
/// row — floating-point sums within a relative 1e-9 (the same numbers added in another order).
/// </summary>
public sealed class SnapshotCheck(NpgsqlDataSource dataSource, SnapshotRefresher refresher)
{
    /// <summary>One table's disagreement: rows only kept, only rebuilt, or different.</summary>
    public sealed record Difference(string Table, long OnlyKept, long OnlyRebuilt, long Changed, IReadOnlyList<string> Examples);

    public async Task<IReadOnlyList<Difference>> RunAsync(CancellationToken ct = default)
    {
        await refresher.ApplyAsync(ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecAsync(SnapshotRefresher.NodeLockSql, tx, ct);
        var clock = await SnapshotRefresher.ClockAsync(conn, tx, ct) ?? throw new InvalidOperationException("no snapshot yet");
        var tables = refresher.Parts.SelectMany(p => p.Tables).ToArray();
        foreach (var t in tables)
        {
            await conn.ExecAsync($"CREATE TEMP TABLE {t.Name} (LIKE public.{t.Name} INCLUDING ALL) ON COMMIT DROP", tx, ct);
        }
        foreach (var part in refresher.Parts)
        {
            await refresher.RunPartAsync(conn, tx, part, part.Rebuild, clock, clock, ct);
        }
        var differences = new List<Difference>();
        foreach (var t in tables)
        {
            var d = await CompareAsync(conn, tx, t, refresher.Parts.First(p => p.Tables.Contains(t)), clock, ct);
            if (d is not null)
            {
                differences.Add(d);
            }
        }
        await tx.RollbackAsync(ct);
        return differences;
    }

    private async Task<Difference?> CompareAsync(NpgsqlConnection conn, NpgsqlTransaction tx, SnapshotTable table, SnapshotPart part,
        DateTimeOffset clock, CancellationToken ct)
    {
        var (keys, columns) = await ColumnsAsync(conn, tx, table.Name, ct);
        // Key columns are NOT NULL (primary keys), so a missing side shows as a NULL first key.
        var on = string.Join(" AND ", keys.Select(k => $"a.{k} = b.{k}"));
        string Differs((string Name, string Type) c) => c.Type switch
        {
            "double precision" or "real" => $"(a.{c.Name} IS NULL) <> (b.{c.Name} IS NULL) OR abs(a.{c.Name} - b.{c.Name}) > 1e-9 * greatest(1, abs(a.{c.Name}), abs(b.{c.Name}))",
            // the read model's own test of "the same place" (PublicReadModel's upsert)
            "geometry" => $"(a.{c.Name} IS NULL) <> (b.{c.Name} IS NULL) OR NOT ST_Equals(a.{c.Name}, b.{c.Name})",
            _ => $"a.{c.Name} IS DISTINCT FROM b.{c.Name}",
        };
        var differs = string.Join(" OR ", columns.Select(c => $"({Differs(c)})"));
        // Which columns, kept → rebuilt, so that a difference says what to look for (geometries by name only).
        var which = columns.Length == 0 ? "''" : "concat_ws(', ', " + string.Join(", ", columns.Select(c =>
            $"CASE WHEN coalesce({Differs(c)}, false) THEN " + (c.Type == "geometry"
                ? $"'{c.Name}'"
                : $"format('{c.Name} %s → %s', coalesce(a.{c.Name}::text, '∅'), coalesce(b.{c.Name}::text, '∅'))") + " END")) + ")";
        var where = table.Where is null ? "true" : table.Where;
        var sql = $"""
            WITH a AS (SELECT * FROM public.{table.Name} WHERE {where}),
                 b AS (SELECT * FROM pg_temp.{table.Name} WHERE {where}),
                 j AS (SELECT a.{keys[0]} IS NULL AS only_rebuilt, b.{keys[0]} IS NULL AS only_kept,
                              concat_ws(', ', {string.Join(", ", keys.Select(k => $"coalesce(a.{k}, b.{k})::text"))})
                                || CASE WHEN a.{keys[0]} IS NOT NULL AND b.{keys[0]} IS NOT NULL THEN ' (' || {which} || ')' ELSE '' END AS key
                       FROM a FULL JOIN b ON {on}
                       WHERE a.{keys[0]} IS NULL OR b.{keys[0]} IS NULL OR {(differs.Length == 0 ? "false" : differs)})
            SELECT count(*) FILTER (WHERE only_kept), count(*) FILTER (WHERE only_rebuilt),
                   count(*) FILTER (WHERE NOT only_kept AND NOT only_rebuilt), (array_agg(key))[1:5]
            FROM j
            """;
        await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("now", clock);
        part.Bind?.Invoke(cmd.Parameters, clock);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var (kept, rebuilt, changed) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        return kept + rebuilt + changed == 0 ? null
            : new Difference(table.Name, kept, rebuilt, changed, r.IsDBNull(3) ? [] : r.GetFieldValue<string[]>(3));
    }

    private static async Task<(string[] Keys, (string Name, string Type)[] Columns)> ColumnsAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        string table, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT a.attname, format_type(a.atttypid, NULL), coalesce(a.attnum = ANY(i.indkey), false)
            FROM pg_attribute a
            LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
            WHERE a.attrelid = ('public.' || @t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, conn, tx);
        cmd.Parameters.AddWithValue("t", table);
        var keys = new List<string>();
        var columns = new List<(string, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (r.GetBoolean(2))
            {
                keys.Add(r.GetString(0));
            }
            else
            {
                columns.Add((r.GetString(0), r.GetString(1)));
            }
        }
        return (keys.ToArray(), columns.ToArray());
    }

    /// <summary>The report the check command prints.</summary>
    public static string Describe(IReadOnlyList<Difference> differences)
    {
        if (differences.Count == 0)
        {
            return "snapshot check: the kept tables equal a rebuild at their clock, row for row";
        }
        var text = new StringBuilder("snapshot check: differences found\n");
        foreach (var d in differences)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"  {d.Table}: {d.OnlyKept} rows only kept, {d.OnlyRebuilt} only rebuilt, {d.Changed} different; e.g. {string.Join(" | ", d.Examples)}\n");
        }
        return text.ToString();
    }
}
