using Hangfire;
using Hangfire.States;
using Hotspots.Jobs;
using Npgsql;

namespace Hotspots.Imports;

/// <summary>
/// No run stays queued or running without a live job behind it. Every minute (a recurring job) a run whose Hangfire
/// job has ended, failed or gone is marked failed with the reason; and a run queued before the move to Hangfire
/// (no job id) is enqueued again.
/// </summary>
public sealed partial class ImportWatchdog(NpgsqlDataSource dataSource, ImportRuns runs, IBackgroundJobClient jobs, JobStorage storage,
    ILogger<ImportWatchdog> logger) : IRecurring
{
    public const string Id = "import-watchdog";

    /// <summary>How long a run may be between its job's end and its own (the job writes the run's end first).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>Every minute, and once now: a run left queued by the version before is enqueued on the first start.</summary>
    public void Register(IRecurringJobManager manager)
    {
        manager.AddOrUpdate<ImportWatchdog>(Id, JobsSetup.TimersQueue, w => w.RunAsync(CancellationToken.None), Cron.Minutely());
        manager.Trigger(Id);
    }

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Kiểm tra các lượt nhập dữ liệu")]
    public async Task RunAsync(CancellationToken ct)
    {
        var open = new List<(Guid Id, string? Job)>();
        await using (var cmd = dataSource.CreateCommand($"""
            SELECT id, job_id FROM import_runs
            WHERE status IN ('queued', 'running') AND queued_at < now() - make_interval(secs => {Grace.TotalSeconds})
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                open.Add((r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1)));
            }
        }
        var monitor = storage.GetMonitoringApi();
        foreach (var (id, job) in open)
        {
            if (job is null)
            {
                await ImportJob.EnqueueAsync(runs, jobs, id, ct); // queued before the upgrade
                LogRequeued(logger, id);
                continue;
            }
            // A job id the store cannot read (not its kind of id) names no job: the run is ended like one whose job is gone.
            var state = long.TryParse(job, out _) ? monitor.JobDetails(job)?.History.FirstOrDefault()?.StateName : null;
            if (state is null || state == FailedState.StateName || state == DeletedState.StateName || state == SucceededState.StateName)
            {
                await FailAsync(id, state, ct);
            }
        }
    }

    private async Task FailAsync(Guid id, string? state, CancellationToken ct)
    {
        var (vi, en) = state is null ? ("công việc nền của lượt nhập không còn", "the run's background job is gone")
            : state == FailedState.StateName ? ("công việc nền của lượt nhập đã thất bại", "the run's background job failed")
            : ("công việc nền đã kết thúc mà lượt nhập chưa xong", "the background job ended without finishing the run");
        await using var cmd = dataSource.CreateCommand("""
            WITH ended AS (
                UPDATE import_runs SET status = 'failed', finished_at = now(), error = @error
                WHERE id = @id AND status IN ('queued', 'running') RETURNING id),
            gone AS (DELETE FROM import_file_chunks c USING ended WHERE c.run_id = ended.id)
            SELECT count(*)::int FROM ended;
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("error", $"{vi} / {en}");
        if ((int?)await cmd.ExecuteScalarAsync(ct) == 1)
        {
            LogFailed(logger, id, state ?? "missing");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import run {Run}, queued before the move to Hangfire, enqueued again")]
    private static partial void LogRequeued(ILogger logger, Guid run);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import run {Run} marked failed: its job is {State}")]
    private static partial void LogFailed(ILogger logger, Guid run, string state);
}
