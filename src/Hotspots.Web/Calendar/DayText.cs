using System.Globalization;

namespace Hotspots.Calendar;

/// <summary>
/// A day as people type it in Hanoi: <c>dd/MM/yyyy</c> (also with <c>-</c> or <c>.</c>, and without leading zeros),
/// or the ISO <c>yyyy-MM-dd</c> that a date picker and a URL send. Written back always as <c>dd/MM/yyyy</c>.
/// </summary>
public static class DayText
{
    private static readonly string[] Formats =
        ["d/M/yyyy", "d-M-yyyy", "d.M.yyyy", "yyyy-M-d"];

    public static string Format(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
