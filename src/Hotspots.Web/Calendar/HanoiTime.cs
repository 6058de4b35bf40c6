using System.Globalization;

namespace Hotspots.Calendar;

/// <summary>
/// Hanoi's clock: UTC+7 all year (Vietnam keeps no daylight saving). Every conversion between an instant and a
/// Hanoi date happens here; "now" always comes from an injected <see cref="TimeProvider"/>, so tests set it.
/// In SQL the same zone is <see cref="ZoneSql"/>.
/// </summary>
public static class HanoiTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    /// <summary>PostgreSQL's name for the zone, for <c>AT TIME ZONE</c>.</summary>
    public const string ZoneSql = "'Asia/Ho_Chi_Minh'";

    public static DateTimeOffset Local(DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    public static DateOnly Today(TimeProvider time) => DateOf(time.GetUtcNow());

    /// <summary>The instant a Hanoi day begins (in UTC: Npgsql writes only offset-0 values to timestamptz).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    /// <summary>A wall-clock time read in Hanoi (a file's "04/05/2024 08:00").</summary>
    public static DateTimeOffset At(DateTime wallClock) => new(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), Offset);

    /// <summary>"dd/MM/yyyy" of the Hanoi day an instant falls on.</summary>
    public static string Day(DateTimeOffset instant) => Local(instant).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"yyyy-MM-dd" of the Hanoi day an instant falls on.</summary>
    public static string IsoDay(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly string[] DateFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "dd/MM/yyyy", "d/M/yyyy",
         "dd/MM/yyyy HH:mm", "d/M/yyyy H:mm", "dd-MM-yyyy", "dd.MM.yyyy"];

    /// <summary>A Hanoi date or time as files write it (ISO or dd/MM/yyyy); ISO with an offset keeps it. Bad: text that is no such time.</summary>
    public static (DateTimeOffset? Value, bool Bad) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, false);
        }
        var t = text.Trim();
        if (t.Length > 10 && (t.EndsWith('Z') || t[^6] is '+' or '-') && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            // The same years as a local date: 9999-12-31T23:00:00Z is a time, but no record's (its Hanoi day overflows).
            return withOffset.UtcDateTime.Year is >= 1990 and <= 2100 ? (withOffset, false) : (null, true);
        }
        if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) && local.Year is >= 1990 and <= 2100)
        {
            return (At(local), false);
        }
        return (null, true);
    }
}
