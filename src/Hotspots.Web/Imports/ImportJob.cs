using Quartz;

namespace Hotspots.Imports;

/// <summary>
/// The Quartz job of one import run. Stored in the clustered job store with recovery requested: if the node
/// running it dies, another node (or this one on restart) runs it again, and the run starts over cleanly.
/// </summary>
public sealed class ImportJob(ImportProcessor processor) : IJob
{
    public const string RunIdKey = "runId";
    public const string Group = "imports";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        new(processor.RunAsync(Guid.Parse(context.MergedJobDataMap.GetString(RunIdKey)!), cancellationToken));

    /// <summary>
    /// How every entry point (API, dashboard, scheduled pick-up) starts an import: hashes the file (a seekable
    /// stream, read twice rather than held twice), records the run with it, and queues the job.
    /// </summary>
    /// <param name="sender">The account sending the file (its rows are held to that person's wards), or null for the scheduled pick-up.</param>
    public static async Task<Guid> SubmitAsync(ImportRuns runs, IScheduler scheduler, string user, long? sender, string fileName, Stream content, long length,
        string layer, ImportOptions options, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(content, ct));
        content.Position = 0;
        var id = Guid.CreateVersion7();
        await runs.CreateAsync(id, user, sender, Path.GetFileName(fileName).Normalize(System.Text.NormalizationForm.FormC), content, length, hash, layer, options, ct);
        await EnqueueAsync(scheduler, id, ct);
        return id;
    }

    private static async Task EnqueueAsync(IScheduler scheduler, Guid runId, CancellationToken ct)
    {
        var job = JobBuilder.Create<ImportJob>()
            .WithIdentity(runId.ToString(), Group)
            .UsingJobData(RunIdKey, runId.ToString())
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity(runId.ToString(), Group).StartNow().Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
    }

    /// <summary>Stops the run if it is executing on this node (other nodes see the flag in import_runs).</summary>
    public static async Task InterruptAsync(ISchedulerFactory schedulers, Guid runId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.Interrupt(new JobKey(runId.ToString(), Group), ct);
    }
}
