using Hotspots.Accounts;
using Quartz;

namespace Hotspots.Imports;

/// <summary>Stopping an import run, from the API or the imports page alike.</summary>
public static class ImportCancellation
{
    public enum Outcome { NotFound, AlreadyEnded, Requested }

    /// <summary>
    /// A run the caller may see is marked to stop (a queued one ends at once) and its job, if running, is interrupted;
    /// the writer then rolls back, so nothing of the file stays.
    /// </summary>
    public static async Task<Outcome> CancelAsync(Caller caller, Guid id, ImportRuns runs, ISchedulerFactory schedulers, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct, ImportRuns.VisibleTo(caller)) is null)
        {
            return Outcome.NotFound;
        }
        if (!await runs.RequestCancelAsync(id, ct))
        {
            return Outcome.AlreadyEnded;
        }
        await ImportJob.InterruptAsync(schedulers, id, ct);
        return Outcome.Requested;
    }
}
