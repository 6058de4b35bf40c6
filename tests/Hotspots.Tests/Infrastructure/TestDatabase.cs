using Npgsql;

namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// A fresh database on the PostGIS server that .ci/test starts (HOTSPOTS_TEST_DB). Never mocked, never
/// skipped: without the server the tests fail and say how to run them.
/// </summary>
public static class TestDatabase
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("HOTSPOTS_TEST_DB")
        ?? throw new InvalidOperationException("HOTSPOTS_TEST_DB is not set: run the tests with `bash .ci/test`, which starts PostGIS.");

    public static async Task<string> CreateAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(ServerConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public static string RepositoryRoot => Hosting.HostingSetup.FindRepositoryRoot();

    public static string SharedData(string file) => Path.GetFullPath(Path.Combine(RepositoryRoot, "../shared/data", file));
}
