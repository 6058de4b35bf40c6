using Hotspots.Database;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.Database;

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
}
