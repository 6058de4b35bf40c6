using System.Globalization;

namespace Hotspots.Calendar;

/// <summary>
/// An instant as the standard APIs take one (OGC's datetime, Open311's start_date): an RFC 3339 / W3C time, UTC when it
/// names no offset, within 1900–2200 like every day the product accepts.
/// </summary>
public static class InstantText
{
    public static bool TryParse(string? text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant) && instant.Year is >= 1900 and <= 2200;
}
