using Hotspots.Snapshots;
using Hangfire;
using Hotspots.Jobs;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Jobs;

/// <summary>Two nodes on one database: a recurring job runs once per period, not once per node; a change reaches the snapshot once and both nodes' versions.</summary>
[Trait("Category", "Database")]
public sealed class RecurringOnceTests
{
    /// <summary>A recurring job of the test: every second, it writes down when it ran.</summary>
    public sealed class Tick(NpgsqlDataSource dataSource) : IRecurring
    {
        public void Register(IRecurringJobManager jobs) =>
            jobs.AddOrUpdate<Tick>("test-tick", JobsSetup.TimersQueue, t => t.RunAsync(), "* * * * * *");

        public async Task RunAsync()
        {
            await using var cmd = dataSource.CreateCommand("INSERT INTO test_ticks (at) VALUES (clock_timestamp())");
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private sealed class Node(string db) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("DB", db);
            builder.UseSetting("SAMPLE_COUNT", "0");
            builder.ConfigureServices(s =>
            {
                s.AddTransient<Tick>();
                s.AddTransient<IRecurring, Tick>();
            });
        }
    }

    [Fact]
    public async Task Two_nodes_run_a_recurring_job_once_per_period()
    {
        var db = await TestDatabase.CreateAsync("hotspots_two_nodes");
        await using var first = new Node(db);
        _ = first.Server; // migrated and loaded before the second node starts
        await using (var create = first.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("CREATE TABLE test_ticks (at timestamptz NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        async Task<long> VersionAsync()
        {
            await using var cmd = first.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT version FROM ward_stats_state");
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        await using var second = new Node(db);
        _ = second.Server;
        // A change made on either node (here straight into the table) is applied once, and both nodes hear the new version.
        var before = await VersionAsync();
        await using (var edit = first.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "UPDATE hotspots SET severity = 6 - severity WHERE id = (SELECT min(id) FROM hotspots)"))
        {
            await edit.ExecuteNonQueryAsync();
        }
        for (var i = 0; i < 100 && (await VersionAsync() == before
            || first.Services.GetRequiredService<DataVersion>().Current != await VersionAsync()
            || second.Services.GetRequiredService<DataVersion>().Current != await VersionAsync()); i++)
        {
            await Task.Delay(100);
        }
        var after = await VersionAsync();
        Assert.True(after > before, "the change reached the snapshot");
        Assert.Equal((after, after), (first.Services.GetRequiredService<DataVersion>().Current, second.Services.GetRequiredService<DataVersion>().Current));
        var monitor = second.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        for (var i = 0; i < 100 && monitor.Servers().Count < 4; i++)
        {
            await Task.Delay(100); // a server announces itself once its processes have started
        }
        Assert.True(monitor.Servers().Count >= 4, $"two nodes, two servers each: {monitor.Servers().Count}");

        // Counted over a window that starts once both nodes run: once per node would be about twice as many.
        var ds = first.Services.GetRequiredService<NpgsqlDataSource>();
        async Task<long> TicksAsync()
        {
            await using var cmd = ds.CreateCommand("SELECT count(*) FROM test_ticks");
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var start = await TicksAsync();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var ticks = await TicksAsync() - start;
        Assert.InRange(ticks, 5, 12); // 10 periods; one node each period, give or take a second at either end
    }
}
