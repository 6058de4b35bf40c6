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

    public static async Task EnqueueAsync(ISchedulerFactory schedulers, Guid runId, CancellationToken ct) =>
        await EnqueueAsync(await schedulers.GetScheduler(ct), runId, ct);

    public static async Task EnqueueAsync(IScheduler scheduler, Guid runId, CancellationToken ct)
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
