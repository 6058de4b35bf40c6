using Hotspots.FloodPoints;
using Hotspots.Hosting;
using Hotspots.Projects;
using Hotspots.SampleData;
using Hotspots.Wards;
using Npgsql;

namespace Hotspots.Startup;

/// <summary>
/// What a fresh database needs, each step once (recorded in data_loads), under an advisory lock so that
/// several nodes starting together load it once: the official boundaries, the official flood points, the
/// drainage company's rainfall, the team's key-project alignments, then the seeded sample data.
/// </summary>
public static partial class FirstStartLoader
{
    private const long LockKey = 0x486f7473704c6f61;

    /// <returns>Whether anything was loaded.</returns>
    public static async Task<bool> LoadAsync(IServiceProvider services, string root, HotspotsOptions options, bool withSample, ILogger logger, CancellationToken ct = default)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        await using var lockConn = await dataSource.OpenConnectionAsync(ct);
        await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", lockConn))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var loaded = false;
        try
        {
            loaded |= await Once(dataSource, "boundaries:" + BoundarySet.Hanoi2025.Id, logger, ct, () =>
                BoundaryLoader.LoadAsync(dataSource, options.DataPath(root, "hanoi-wards-2025.geojson"),
                    BoundarySet.Hanoi2025, BoundaryExpectations.Hanoi2025, logger, ct));
            loaded |= await Once(dataSource, "flood-points:official", logger, ct, () =>
                OfficialFloodPointLoader.LoadAsync(dataSource, options.DataPath(root, "hanoi-flood-points-official.csv"), logger, ct));
            loaded |= await Once(dataSource, "rainfall:" + Rainfall.RainfallLoader.Source, logger, ct, () =>
                Rainfall.RainfallLoader.LoadAsync(dataSource, options.DataPath(root, "hanoi-rain-station-wards.csv"),
                    options.DataPath(root, "hanoi-daily-rainfall-2020-2025.csv"), logger, ct));
            loaded |= await Once(dataSource, "projects:gis-data", logger, ct, () =>
                ProjectLoader.LoadAsync(dataSource, Path.GetFullPath(Path.Combine(root, options.GisDataDir, "key-projects.geojson")), logger, ct));
            if (withSample && options.SampleCount > 0)
            {
                var asOf = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
                loaded |= await Once(dataSource, "sample", logger, ct, () =>
                    SampleWriter.ReplaceAsync(dataSource, options.SampleCount, options.SampleSeed, asOf, logger, ct));
            }
        }
        finally
        {
            // A broken connection has released the lock with its session; unlocking it would hide the real error.
            if (lockConn.State == System.Data.ConnectionState.Open)
            {
                await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", lockConn);
                await cmd.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        return loaded;
    }

    private static async Task<bool> Once<T>(NpgsqlDataSource dataSource, string key, ILogger logger, CancellationToken ct, Func<Task<T>> load)
    {
        await using (var check = dataSource.CreateCommand("SELECT 1 FROM data_loads WHERE key = @k"))
        {
            check.Parameters.AddWithValue("k", key);
            if (await check.ExecuteScalarAsync(ct) is not null)
            {
                return false;
            }
        }
        var result = await load();
        await using var mark = dataSource.CreateCommand("INSERT INTO data_loads (key, detail) VALUES (@k, to_jsonb(@d::text))");
        mark.Parameters.AddWithValue("k", key);
        mark.Parameters.AddWithValue("d", result?.ToString() ?? "");
        await mark.ExecuteNonQueryAsync(ct);
        LogStep(logger, key);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "First-start load done: {Key}")]
    private static partial void LogStep(ILogger logger, string key);
}
