using System.Globalization;
using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using Hotspots.Imports;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Jobs;

/// <summary>
/// An import job retried after a transient failure ends like one clean run; a file that cannot be read fails at
/// once and is not retried; a run whose job is gone is failed by the watchdog, and a run queued before the move to
/// Hangfire is enqueued again.
/// </summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class ImportJobRecoveryTests(ImportsApp app)
{
    private NpgsqlDataSource Db => app.Services.GetRequiredService<NpgsqlDataSource>();

    private async Task<string> JobOfAsync(string runId)
    {
        await using var cmd = Db.CreateCommand("SELECT job_id FROM import_runs WHERE id = @id::uuid");
        cmd.Parameters.AddWithValue("id", runId);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The job's states, oldest first, once it has reached a final one (the run ends a moment before its job).</summary>
    private async Task<IReadOnlyList<string>> StatesOfAsync(string jobId)
    {
        var monitor = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        List<string> states = [];
        for (var i = 0; i < 600; i++) // up to a minute: under a loaded CI the job's last state came more than 10 s after the run's
        {
            states = monitor.JobDetails(jobId).History.Select(h => h.StateName).Reverse().ToList();
            if (states.Count > 0 && new[] { SucceededState.StateName, FailedState.StateName, DeletedState.StateName }.Contains(states[^1]))
            {
                break;
            }
            await Task.Delay(100);
        }
        return states;
    }

    [Fact]
    public async Task A_connection_cut_mid_import_is_retried_and_the_run_ends_like_one_clean_run()
    {
        const int rows = 60_000;
        var csv = new StringBuilder("id,title,lat,lon,severity\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"T-{i},Điểm {i},{21.00 + (i % 300) * 0.0002:0.00000},{105.79 + (i / 300) * 0.00016:0.00000},{1 + i % 5}\n");
        }
        var run = await app.UploadAsync(Encoding.UTF8.GetBytes(csv.ToString()), "transient.csv", "congestion", new Dictionary<string, string> { ["source"] = "test:transient" });
        var id = run.GetProperty("id").GetString()!;
        // Mid-import (the first load of a new source goes straight into hotspots), the database drops the worker's connection (as when it restarts): 57P01, a transient failure.
        var cut = 0;
        for (var i = 0; i < 600 && cut == 0; i++)
        {
            await using var kill = Db.CreateCommand("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND (query LIKE '%import_staging%' OR query LIKE '%COPY hotspots%') AND state <> 'idle'
                """);
            cut = (int)(long)(await kill.ExecuteScalarAsync())!;
            await Task.Delay(cut == 0 ? 20 : 0);
        }
        Assert.True(cut > 0, "the import's connection was found and cut");
        var done = await app.WaitAsync(id, 120);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(rows, done.GetProperty("counts").GetProperty("inserted").GetInt32());
        await using var count = Db.CreateCommand("SELECT count(*) FROM hotspots WHERE source = 'test:transient'");
        Assert.Equal(rows, (long)(await count.ExecuteScalarAsync())!);
        var states = await StatesOfAsync(await JobOfAsync(id));
        Assert.Contains(ScheduledState.StateName, states); // the retry, after a pause
        Assert.Equal(SucceededState.StateName, states[^1]);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_fails_at_once_with_its_reason_and_is_not_retried()
    {
        var run = await app.UploadAsync("PK\u0003\u0004 not really a workbook"u8.ToArray(), "broken.xlsx", "flooding");
        var id = run.GetProperty("id").GetString()!;
        var done = await app.WaitAsync(id);
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(done.GetProperty("error").GetString()));
        var states = await StatesOfAsync(await JobOfAsync(id));
        Assert.DoesNotContain(ScheduledState.StateName, states);
        Assert.Equal(SucceededState.StateName, states[^1]); // the job did its work: it recorded why the run failed
    }

    [Fact]
    public async Task The_watchdog_fails_a_run_whose_job_is_gone_and_enqueues_one_queued_before_the_upgrade()
    {
        var runs = app.Services.GetRequiredService<ImportRuns>();
        var orphan = Guid.CreateVersion7();
        var old = Guid.CreateVersion7();
        var content = Encoding.UTF8.GetBytes("id,title,lat,lon\nW-1,Điểm cũ,21.0245,105.8412\n");
        foreach (var (run, name) in new[] { (orphan, "orphan.csv"), (old, "before-upgrade.csv") })
        {
            await runs.CreateAsync(run, "planner@hotspots.test", null, name, new MemoryStream(content), content.Length, Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                "flooding", new ImportOptions(Source: "test:watchdog"), CancellationToken.None);
        }
        await using (var cmd = Db.CreateCommand("""
            UPDATE import_runs SET queued_at = now() - interval '5 minutes', job_id = CASE WHEN id = @orphan THEN '987654321' END
            WHERE id IN (@orphan, @old)
            """))
        {
            cmd.Parameters.AddWithValue("orphan", orphan);
            cmd.Parameters.AddWithValue("old", old);
            await cmd.ExecuteNonQueryAsync();
        }
        await app.Services.GetRequiredService<ImportWatchdog>().RunAsync(CancellationToken.None);

        var failed = await app.WaitAsync(orphan.ToString());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("không còn", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        var requeued = await app.WaitAsync(old.ToString());
        Assert.Equal("succeeded", requeued.GetProperty("status").GetString());
        Assert.Equal(1, requeued.GetProperty("counts").GetProperty("inserted").GetInt32());
    }
}
