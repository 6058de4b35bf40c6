namespace Hotspots.Records;

/// <summary>
/// A hotspot's lifecycle, the one list of its statuses (the database's CHECK on hotspots.status holds the same; a
/// test keeps them equal). Reported → verified or rejected; verified → in progress, resolved or rejected; in
/// progress → resolved (or back to verified); a closed record reopens (resolved → in progress, rejected → reported).
/// Closing and reopening need a note: the "result" of the six clear points.
/// </summary>
public static class HotspotStatus
{
    public const string Reported = "reported", Verified = "verified", InProgress = "in_progress", Resolved = "resolved", Rejected = "rejected";

    /// <summary>Every status, in lifecycle order.</summary>
    public static readonly string[] All = [Reported, Verified, InProgress, Resolved, Rejected];

    /// <summary>The statuses of work not yet done: these count as open and can be overdue.</summary>
    public static readonly string[] Open = [Reported, Verified, InProgress];

    /// <summary>The open statuses as a SQL list, for <c>status IN (…)</c> in SQL written as constants (snapshot builds, filters).</summary>
    public const string OpenSql = "'" + Reported + "', '" + Verified + "', '" + InProgress + "'";

    /// <summary>The statuses a record has once verified (verified_at is set on reaching one), as a SQL list.</summary>
    public const string VerifiedOrLaterSql = "'" + Verified + "', '" + InProgress + "', '" + Resolved + "'";

    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [Reported] = [Verified, Rejected],
        [Verified] = [InProgress, Resolved, Rejected],
        [InProgress] = [Resolved, Verified],
        [Resolved] = [InProgress],
        [Rejected] = [Reported],
    };

    public static bool IsKnown(string status) => All.Contains(status);

    public static bool IsOpen(string status) => Open.Contains(status);

    public static IReadOnlyList<string> NextOf(string from) => Next.TryGetValue(from, out var to) ? to : [];

    public static bool CanMove(string from, string to) => NextOf(from).Contains(to);

    public static bool NeedsNote(string from, string to) => to is Resolved or Rejected || from is Resolved or Rejected;
}
