using Hotspots.Snapshots;
using Hotspots.Stats;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.Snapshots;

/// <summary>
/// Nodes take turns through one database-wide lock that a refresher holds across its batch's transaction (taken before
/// it begins, so the batch's snapshot follows the previous holder's commit). Whatever ends the batch — a commit, a
/// rebuild that closes its connection, a failed part — the lock is let go: a pooled connection that is closed keeps its
/// session, and a lock left on it would stop every node's batches until the pool happened to reuse it.
/// </summary>
[Trait("Category", "Database")]
public sealed class RefresherLockTests
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task After_a_batch_a_rebuild_or_a_failed_part_another_refresher_takes_its_turn_at_once()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await BoundaryFixture.LoadThreeSquaresAsync(db.DataSource);
        // The refreshers' own pool, as a node has: the test's queries must not reuse (and so reset) a connection they closed.
        await using var nodes = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString)
        {
            Database = await db.ScalarAsync<string>("SELECT current_database()"),
        }.ConnectionString);
        SnapshotRefresher Refresher(params SnapshotPart[] parts) =>
            new(nodes, new DataVersion(), parts, TimeProvider.System, NullLogger<SnapshotRefresher>.Instance);
        await using var node1 = Refresher(WardStatsSql.Part);
        await using var node2 = Refresher(WardStatsSql.Part);
        await using var failing = Refresher(WardStatsSql.Part with { Apply = "SELECT 1 / 0" });
        async Task EditAsync() => await db.ExecAsync("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('flooding', 't', 2, 'reported', now(), ST_SetSRID(ST_MakePoint(105.805, 21.005), 4326), 'test', gen_random_uuid()::text)
            """);
        async Task<long> HeldAsync() => await db.ScalarAsync<long>("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """);

        await node1.RebuildAsync(); // its connection closed after
        Assert.Equal(0, await HeldAsync());
        await EditAsync();
        Assert.NotNull(await node2.ApplyAsync().WaitAsync(Turn));
        Assert.Equal(0, await HeldAsync());

        await EditAsync();
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => failing.ApplyAsync());
        Assert.Equal(0, await HeldAsync());
        Assert.NotNull(await node1.ApplyAsync().WaitAsync(Turn)); // the edit the failed batch left logged
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT sum(total)::bigint FROM ward_stats WHERE category = 'all'"));
    }
}
