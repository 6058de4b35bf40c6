using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// One feature's share of the snapshot rebuild: SQL run in the rebuild's transaction, in <see cref="Order"/>
/// (a part may read what an earlier one wrote). Each feature registers its own, so the rebuild knows none of them.
/// The rebuild binds <c>@now</c>; <see cref="Bind"/> adds what the part needs beyond it.
/// </summary>
public sealed record SnapshotPart(string Name, int Order, string Sql, Action<NpgsqlParameterCollection, DateTimeOffset>? Bind = null);

public static class SnapshotsSetup
{
    public static void AddSnapshots(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DataVersion>();
        builder.Services.AddSingleton<SnapshotRefresher>();
        builder.Services.AddSingleton<ResponseCache>();
        builder.Services.AddHostedService<DataVersionPoller>();
        builder.Services.AddTransient<SnapshotJob>();
        builder.Services.AddTransient<Jobs.IRecurring, SnapshotJob>();
    }

    public static void AddSnapshotPart(this IServiceCollection services, SnapshotPart part) => services.AddSingleton(part);
}
