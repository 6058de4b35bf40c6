using Hotspots.Calendar;

namespace Hotspots.Records;

/// <summary>
/// How late an open record is against its deadline, in Hanoi days (FixMyStreet's and Signalen's levels): due soon
/// (the deadline is today or within the next <see cref="DueSoonDays"/> days), overdue (the deadline has passed), and
/// three times overdue (three times the time it was given has gone by since it was reported: given 7 days, on day 21).
/// Closed records and records with no deadline have no level. One rule, written once for SQL and once for C#.
/// </summary>
public static class Escalation
{
    public const string DueSoon = "due_soon", Overdue = "overdue", ThreeTimes = "overdue_3x";

    /// <summary>The levels a filter takes, mildest first (an overdue filter also holds the three-times-overdue).</summary>
    public static readonly string[] Levels = [DueSoon, Overdue, ThreeTimes];

    public const int DueSoonDays = 3;

    private static string ReportedDay(string h) => $"({h}.reported_at AT TIME ZONE {HanoiTime.ZoneSql})::date";

    /// <summary>The level of record <paramref name="h"/> on Hanoi day <paramref name="day"/> with status <paramref name="status"/>, or NULL.</summary>
    public static string LevelSql(string h, string status, string day) => $"""
        CASE WHEN {status} IN ({HotspotStatus.OpenSql}) AND {h}.deadline IS NOT NULL THEN
            CASE WHEN {h}.deadline < {day} AND {day} - {ReportedDay(h)} >= 3 * greatest({h}.deadline - {ReportedDay(h)}, 1) THEN '{ThreeTimes}'
                 WHEN {h}.deadline < {day} THEN '{Overdue}'
                 WHEN {h}.deadline < {day} + {DueSoonDays} THEN '{DueSoon}' END END
        """;

    /// <summary>Whether the record is at <paramref name="level"/> (overdue includes three times overdue).</summary>
    public static string IsSql(string level, string h, string status, string day) => level switch
    {
        DueSoon => $"coalesce({status} IN ({HotspotStatus.OpenSql}) AND {h}.deadline >= {day} AND {h}.deadline < {day} + {DueSoonDays}, false)",
        Overdue => $"coalesce({status} IN ({HotspotStatus.OpenSql}) AND {h}.deadline < {day}, false)",
        ThreeTimes => $"coalesce({status} IN ({HotspotStatus.OpenSql}) AND {h}.deadline < {day} AND {day} - {ReportedDay(h)} >= 3 * greatest({h}.deadline - {ReportedDay(h)}, 1), false)",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not an escalation level"),
    };

    /// <summary>The same rule in C#, for a record already read.</summary>
    public static string? Of(string status, DateOnly? deadline, DateOnly reportedDay, DateOnly day)
    {
        if (!HotspotStatus.IsOpen(status) || deadline is not { } due)
        {
            return null;
        }
        if (due < day)
        {
            return day.DayNumber - reportedDay.DayNumber >= 3 * Math.Max(due.DayNumber - reportedDay.DayNumber, 1) ? ThreeTimes : Overdue;
        }
        return due.DayNumber < day.DayNumber + DueSoonDays ? DueSoon : null;
    }
}
