using Hotspots.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hotspots.Tests.Infrastructure;

/// <summary>A fresh, migrated, empty database for tests that load their own data.</summary>
public sealed class MigratedDatabase : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; }

    private MigratedDatabase(NpgsqlDataSource dataSource) => DataSource = dataSource;

    public static async Task<MigratedDatabase> CreateAsync()
    {
        var cs = await TestDatabase.CreateAsync("hotspots_m");
        var ds = Hotspots.Database.DatabaseSetup.Build(cs);
        await Migrator.MigrateAsync(ds, NullLogger.Instance);
        return new MigratedDatabase(ds);
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)value;
    }

    public async Task ExecAsync(string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        await cmd.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
