using Hangfire;
using Hotspots.Accounts;

namespace Hotspots.Imports;

/// <summary>Stopping an import run, from the API or the imports page alike.</summary>
public static class ImportCancellation
{
    public enum Outcome { NotFound, AlreadyEnded, Requested }

    /// <summary>
    /// A run the caller may see is marked to stop (a queued one ends at once), and its job is deleted, which fires
    /// the job's cancellation token on whichever node runs it; the writer then rolls back, so nothing of the file stays.
    /// (The worker also reads the mark with its progress, so the run stops even before Hangfire passes the word on.)
    /// </summary>
    public static async Task<Outcome> CancelAsync(Caller caller, Guid id, ImportRuns runs, IBackgroundJobClient jobs, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct, ImportRuns.VisibleTo(caller)) is null)
        {
            return Outcome.NotFound;
        }
        var (requested, jobId) = await runs.RequestCancelAsync(id, ct);
        if (!requested)
        {
            return Outcome.AlreadyEnded;
        }
        if (jobId is not null)
        {
            jobs.Delete(jobId);
        }
        return Outcome.Requested;
    }
}
