using Hangfire;

namespace Hotspots.Jobs;

/// <summary>A feature's recurring job: registered (or removed, when switched off) with Hangfire when the node starts.</summary>
public interface IRecurring
{
    void Register(IRecurringJobManager jobs);
}

/// <summary>
/// Registers every feature's recurring jobs at start. Hangfire keeps one schedule per job id in the database, so
/// with several nodes each job still runs once per period, on whichever node takes it.
/// </summary>
internal sealed class RecurringJobs(IEnumerable<IRecurring> recurring, IRecurringJobManager jobs) : IHostedService
{
    /// <summary>Schedules an older version kept in the database whose work is now done otherwise.</summary>
    private static readonly string[] Retired =
    [
        "snapshot-rebuild", // a full rebuild every 15 minutes: the snapshot now follows changes and the clock (Snapshots/SnapshotFollower)
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var id in Retired)
        {
            jobs.RemoveIfExists(id);
        }
        foreach (var r in recurring)
        {
            r.Register(jobs);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
