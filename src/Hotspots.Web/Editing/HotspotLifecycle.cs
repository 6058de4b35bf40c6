namespace Hotspots.Editing;

/// <summary>
/// Where a hotspot may go from each status: reported → verified or rejected; verified → in progress, resolved or
/// rejected; in progress → resolved (or back to verified); a closed record reopens (resolved → in progress,
/// rejected → reported). Closing and reopening need a note: the "result" of the six clear points.
/// </summary>
public static class HotspotLifecycle
{
    public static readonly string[] Statuses = ["reported", "verified", "in_progress", "resolved", "rejected"];

    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        ["reported"] = ["verified", "rejected"],
        ["verified"] = ["in_progress", "resolved", "rejected"],
        ["in_progress"] = ["resolved", "verified"],
        ["resolved"] = ["in_progress"],
        ["rejected"] = ["reported"],
    };

    public static IReadOnlyList<string> NextOf(string from) => Next.TryGetValue(from, out var to) ? to : [];

    public static bool CanMove(string from, string to) => NextOf(from).Contains(to);

    public static bool NeedsNote(string from, string to) => to is "resolved" or "rejected" || from is "resolved" or "rejected";
}
