using Hangfire;
using Hangfire.Server;
using Hotspots.Jobs;

namespace Hotspots.Imports;

/// <summary>
/// The Hangfire job of one import run, on the imports queue. If the node running it dies, the job becomes visible
/// again (JobsSetup) and another node, or this one restarted, runs it; the run starts over cleanly. A transient
/// database failure is retried a few times with growing pauses; anything else ends the run at once with its reason.
/// </summary>
public sealed class ImportJob(ImportProcessor processor)
{
    /// <summary>Retries after a transient failure (the database restarting, a dropped connection).</summary>
    public const int Retries = 3;

    [Queue(JobsSetup.ImportsQueue)]
    [AutomaticRetry(Attempts = Retries, DelaysInSeconds = [2, 10, 30], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Nhập dữ liệu — lượt {0}")]
    public Task RunAsync(Guid runId, PerformContext? context, CancellationToken ct) =>
        processor.RunAsync(runId, context?.GetJobParameter<int>("RetryCount") ?? 0, ct);

    /// <summary>
    /// How every entry point (API, imports page, scheduled pick-up) starts an import: hashes the file (a seekable
    /// stream, read twice rather than held twice), records the run with it, and enqueues the job.
    /// </summary>
    /// <param name="sender">The account sending the file (its rows are held to that person's wards), or null for the scheduled pick-up.</param>
    public static async Task<Guid> SubmitAsync(ImportRuns runs, IBackgroundJobClient jobs, string user, long? sender, string fileName, Stream content, long length,
        string layer, ImportOptions options, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(content, ct));
        content.Position = 0;
        var id = Guid.CreateVersion7();
        await runs.CreateAsync(id, user, sender, Path.GetFileName(fileName).Normalize(System.Text.NormalizationForm.FormC), content, length, hash, layer, options, ct);
        await EnqueueAsync(runs, jobs, id, ct);
        return id;
    }

    /// <summary>Enqueues the run's job and records its id (the watchdog and cancel find the job by it).</summary>
    public static async Task EnqueueAsync(ImportRuns runs, IBackgroundJobClient jobs, Guid runId, CancellationToken ct)
    {
        var jobId = jobs.Enqueue<ImportJob>(j => j.RunAsync(runId, null, CancellationToken.None));
        await runs.SetJobAsync(runId, jobId, ct);
    }
}
