using Hotspots.Snapshots;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hotspots.Tests.Snapshots;

[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class SnapshotNodesTests(HotspotsApp app)
{
    [Fact]
    public async Task Two_nodes_rebuilding_the_snapshot_at_once_both_succeed_one_after_the_other()
    {
        // Each node has its own refresher (its own in-process gate); only the database can keep them apart.
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        SnapshotRefresher Node() => new(dataSource, new DataVersion(), app.Services.GetServices<SnapshotPart>(), TimeProvider.System, NullLogger<SnapshotRefresher>.Instance);
        var nodes = new[] { Node(), Node(), Node() };
        var versions = await Task.WhenAll(nodes.SelectMany(n => new[] { n.RebuildAsync(), n.RebuildAsync() }));
        Assert.Equal(versions.Length, versions.Distinct().Count());
        Assert.Equal(versions.Min() + versions.Length - 1, versions.Max());
        // This node learns the others' rebuilds now rather than at its next poll, in the middle of a later test.
        await app.Services.GetRequiredService<DataVersion>().ReadAsync(dataSource, CancellationToken.None);
    }
}
