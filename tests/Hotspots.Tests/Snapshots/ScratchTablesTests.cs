using Hotspots.Map;
using Hotspots.Outreach;
using Hotspots.Public;
using Hotspots.Snapshots;
using Hotspots.Stats;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.Snapshots;

/// <summary>
/// The refresher keeps its temporary tables from one batch to the next (ScratchTables): made once, emptied before
/// each batch, truncated once grown; a batch never reads the rows of the one before (IncrementalSnapshotTests proves
/// the figures, over many batches on one refresher).
/// </summary>
public sealed class ScratchTablesTests
{
    [Fact]
    [Trait("Category", "Unit")]
    public void A_table_the_connection_has_is_filled_and_one_it_has_not_is_created_to_stay()
    {
        var scratch = new ScratchTables(["batch_rows", "outreach_recount"]);
        Assert.Equal("INSERT INTO batch_rows SELECT 1; CREATE TEMP TABLE batch_wards AS SELECT 2;",
            scratch.Keep("CREATE TEMP TABLE batch_rows ON COMMIT DROP AS SELECT 1; CREATE TEMP TABLE batch_wards ON COMMIT DROP AS SELECT 2;"));
        Assert.Equal("\nCREATE TEMP TABLE cells_shrunk (level smallint, cx int);\nINSERT INTO outreach_recount VALUES ('a', 'b');",
            scratch.Keep("""
                CREATE TEMP TABLE outreach_recount (ward_code text, category text) ON COMMIT DROP;
                CREATE TEMP TABLE cells_shrunk (level smallint, cx int) ON COMMIT DROP;
                INSERT INTO outreach_recount VALUES ('a', 'b');
                """));
    }

    [Fact]
    [Trait("Category", "Database")]
    public async Task The_refreshers_tables_are_made_once_emptied_each_batch_and_truncated_once_grown()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await BoundaryFixture.LoadThreeSquaresAsync(db.DataSource);
        await using var refresher = new SnapshotRefresher(db.DataSource, new DataVersion(),
            [WardStatsSql.Part, WardQualitySql.Part, HotspotCells.Part, PublicReadModel.Part, HotspotCells.PublicPart, OutreachFactorsSql.Part],
            TimeProvider.System, NullLogger<SnapshotRefresher>.Instance);
        await db.ExecAsync("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            SELECT 'flooding', 't' || g, 2, 'reported', now(), ST_SetSRID(ST_MakePoint(105.801 + g * 0.00001, 21.001), 4326), 'test', g::text
            FROM generate_series(1, 600) g
            """);
        await refresher.RebuildAsync();

        async Task<long> EditAsync(int records)
        {
            await db.ExecAsync("UPDATE hotspots SET status = CASE status WHEN 'reported' THEN 'verified' ELSE 'reported' END WHERE id IN (SELECT id FROM hotspots ORDER BY id LIMIT @n)",
                ("n", records));
            Assert.NotNull(await refresher.ApplyAsync());
            // The refresher's own temporary table, seen from another session: its identity and the size of its file.
            return await db.ScalarAsync<long>("""
                SELECT c.oid::bigint * 1000000000 + pg_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = 'batch_changes' AND n.nspname LIKE 'pg_temp%'
                """);
        }
        var first = await EditAsync(1);
        var large = await EditAsync(600);
        var next = await EditAsync(1);
        Assert.Equal(first / 1000000000, large / 1000000000); // the same table: filled, not made again
        Assert.True(large % 1000000000 >= ScratchTables.TruncateFrom, $"a 600-edit batch's changes took {large % 1000000000} bytes");
        Assert.True(next % 1000000000 < ScratchTables.TruncateFrom, $"the next batch found {next % 1000000000} bytes");
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'batch_changes' AND relnamespace::regnamespace::text LIKE 'pg_temp%'"));
        // The server drops the kept connection between batches (a restart, a failover): the next batch runs on a new one.
        await db.ExecAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        db.DataSource.Clear();
        await EditAsync(1);
        // And what the batches left equals a rebuild (the rows of one batch were not counted again in the next).
        var differences = await new SnapshotCheck(db.DataSource, refresher).RunAsync();
        Assert.True(differences.Count == 0, SnapshotCheck.Describe(differences));
    }
}
