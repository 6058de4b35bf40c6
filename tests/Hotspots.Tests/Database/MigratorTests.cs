using Hotspots.Database;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.Database;

[Trait("Category", "Database")]
public sealed class MigratorTests
{
    [Fact]
    public async Task Migrations_apply_once_in_order_even_when_nodes_start_together()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Migrator.MigrateAsync(db.DataSource, NullLogger.Instance)));
        var scripts = Migrator.Scripts().Select(s => s.Name).ToList();
        Assert.Equal(scripts.Order(StringComparer.Ordinal), scripts);
        Assert.Equal(scripts.Count, (int)await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal("3", (await db.ScalarAsync<string>("SELECT postgis_lib_version()"))[..1]);
    }

    [Fact]
    public async Task Search_key_ignores_diacritics_and_case()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        Assert.Equal("dong da", await db.ScalarAsync<string>("SELECT search_key('Đống Đa')"));
        Assert.Equal("o cho dua", await db.ScalarAsync<string>("SELECT search_key('Ô Chợ Dừa')"));
    }

    // What the import's speed and the map's queries rely on: one spatial index on hotspots and one on the public read
    // model (Web Mercator), insert triggers guarded by WHEN, uploads compressed with lz4 (Debian's PostgreSQL has it).
    [Fact]
    public async Task The_hotspot_write_path_is_as_the_import_expects()
    {
        await using var db = await MigratedDatabase.CreateAsync();
        Assert.Equal("hotspots_geom_web", await db.ScalarAsync<string>(
            "SELECT string_agg(indexname, ',') FROM pg_indexes WHERE tablename = 'hotspots' AND indexdef LIKE '%USING gist%' AND indexdef NOT LIKE '% WHERE %'"));
        // Besides it, only a partial one for the flooding layer's real records (the rain scenario's): other rows never touch it.
        Assert.Equal("hotspots_flooding_real_web", await db.ScalarAsync<string>(
            "SELECT string_agg(indexname, ',') FROM pg_indexes WHERE tablename = 'hotspots' AND indexdef LIKE '%USING gist%' AND indexdef LIKE '% WHERE %'"));
        // The public read model the same: a batch that adds records writes one spatial index (0040).
        Assert.Equal("public_hotspots_geom_web", await db.ScalarAsync<string>(
            "SELECT string_agg(indexname, ',') FROM pg_indexes WHERE tablename = 'public_hotspots' AND indexdef LIKE '%USING gist%'"));
        // ward, closed_at and the snapshot's change log (which a bulk load's rows skip: Snapshots/)
        Assert.Equal(3L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM pg_trigger WHERE tgrelid = 'hotspots'::regclass AND tgname LIKE '%\_insert' AND tgqual IS NOT NULL
            """));
        Assert.Equal("l", await db.ScalarAsync<string>(
            "SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'import_file_chunks'::regclass AND attname = 'data'"));
    }
}
