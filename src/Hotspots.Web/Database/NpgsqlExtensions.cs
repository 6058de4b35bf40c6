using Npgsql;

namespace Hotspots.Database;

public static class NpgsqlExtensions
{
    /// <summary>Runs parameterised SQL (one or more statements) with no result, inside <paramref name="tx"/> if given.</summary>
    public static async Task<int> ExecAsync(this NpgsqlConnection conn, string sql, NpgsqlTransaction? tx, CancellationToken ct,
        params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of the first row of parameterised SQL, inside <paramref name="tx"/> if given.</summary>
    public static async Task<object?> ScalarAsync(this NpgsqlConnection conn, string sql, NpgsqlTransaction? tx, CancellationToken ct,
        params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        return await cmd.ExecuteScalarAsync(ct);
    }
}
