using Npgsql;

namespace Hotspots.Database;

/// <summary>
/// Applies the ordered .sql files embedded from Database/Migrations, each once, under an advisory lock so
/// that several nodes starting together migrate one at a time.
/// </summary>
public static partial class Migrator
{
    private const long LockKey = 0x486f7473706f7473; // "Hotspots"

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecAsync("SELECT pg_advisory_lock(@k)", null, ct, ("k", LockKey));
        try
        {
            await conn.ExecAsync("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name       text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, null, ct);
            var applied = new HashSet<string>();
            await using (var cmd = new NpgsqlCommand("SELECT name FROM schema_migrations", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            foreach (var (name, sql) in Scripts())
            {
                if (applied.Contains(name))
                {
                    continue;
                }
                await using var tx = await conn.BeginTransactionAsync(ct);
                await conn.ExecAsync(sql, tx, ct);
                await conn.ExecAsync("INSERT INTO schema_migrations (name) VALUES (@n)", tx, ct, ("n", name));
                await tx.CommitAsync(ct);
                LogApplied(logger, name);
            }
        }
        finally
        {
            // A broken connection has released the lock with its session; unlocking it would hide the real error.
            if (conn.State == System.Data.ConnectionState.Open)
            {
                await conn.ExecAsync("SELECT pg_advisory_unlock(@k)", null, CancellationToken.None, ("k", LockKey));
            }
        }
        // Types created by the migrations (postgis) must be known to the pool's connections.
        await conn.ReloadTypesAsync(ct);
    }

    public static IEnumerable<(string Name, string Sql)> Scripts()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "Hotspots.Database.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (resource[prefix.Length..], reader.ReadToEnd());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Name}")]
    private static partial void LogApplied(ILogger logger, string name);
}
