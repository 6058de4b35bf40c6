using Npgsql;

namespace Hotspots.Snapshots;

/// <summary>
/// One feature's share of the snapshot, run in the refresher's transaction in <see cref="Order"/> (a part may read
/// what an earlier one wrote). Each feature registers its own, so the refresher knows none of them.
/// <para><see cref="Rebuild"/> computes the part from scratch. <see cref="Apply"/> brings it up to date for one batch
/// of changes, reading the batch tables the refresher fills (<see cref="SnapshotBatch"/>) and adding to them what
/// the clock alone changed between <c>@from</c> (the snapshot's clock) and <c>@now</c>. Both bind <c>@now</c>;
/// <see cref="Bind"/> adds what the part needs beyond it. Applying every batch must leave exactly what a rebuild at
/// the same clock would: <see cref="SnapshotCheck"/> proves it for <see cref="Tables"/>.</para>
/// <para><see cref="Beside"/>, for a part of one table that reads no other part's: a SELECT of that table's rows
/// (binding <c>@now</c> and what <see cref="Bind"/> adds). A full rebuild — and a large batch in many wards
/// (<see cref="SnapshotRefresher.WideBatchWards"/>, <see cref="SnapshotRefresher.WideBatchRecords"/>) — then runs it
/// on a connection of its own, at the transaction's own snapshot, while the other parts run, and writes its rows in the
/// transaction: the work uses the second core instead of waiting for the part.</para>
/// <para><see cref="BesideWhenWide"/>: whether a wide batch computes the part whole beside the others — a boolean
/// expression over the batch tables (binding <c>@wide</c>, the refresher's threshold); "false" for a part whose
/// <see cref="Apply"/> costs by the batch's records, not by its wards (it takes each record away as it was and adds it
/// as it is).</para>
/// </summary>
public sealed record SnapshotPart(string Name, int Order, string Rebuild, SnapshotSql Apply, SnapshotTable[] Tables,
    Action<NpgsqlParameterCollection, DateTimeOffset>? Bind = null, string? Beside = null, string BesideWhenWide = "true");

/// <summary>
/// A part's SQL for a batch: its steps run in order, one with a condition (a SQL boolean over the batch tables, binding
/// what the part binds) only when that holds. A recount most batches skip is then not even planned: planning a large
/// statement costs milliseconds when it finds nothing to do, and a one-edit batch is a few of those.
/// </summary>
public sealed record SnapshotSql(params SnapshotStep[] Steps)
{
    public static implicit operator SnapshotSql(string sql) => new(new SnapshotStep(sql));
}

public sealed record SnapshotStep(string Sql, string? When = null)
{
    public static implicit operator SnapshotStep(string sql) => new(sql);
}

/// <summary>A table a part keeps, and (for the check) which of its rows the rebuild accounts for.</summary>
public sealed record SnapshotTable(string Name, string? Where = null);

public static class SnapshotsSetup
{
    public static void AddSnapshots(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DataVersion>();
        builder.Services.AddSingleton<SnapshotRefresher>();
        builder.Services.AddSingleton<ResponseCache>();
        builder.Services.AddSingleton<SnapshotCheck>();
        builder.Services.AddHostedService<SnapshotFollower>();
    }

    public static void AddSnapshotPart(this IServiceCollection services, SnapshotPart part) => services.AddSingleton(part);
}
