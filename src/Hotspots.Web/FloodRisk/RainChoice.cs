using System.Globalization;

namespace Hotspots.FloodRisk;

/// <summary>
/// The rain scenario a link asks for (<c>rain=</c>): a daily rain in millimetres ("80") or a past day ("2025-09-30").
/// Anything else is no scenario.
/// </summary>
public sealed record RainChoice(decimal? Mm, DateOnly? Day)
{
    public static RainChoice? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 1900 and <= 2200)
        {
            return new RainChoice(null, day);
        }
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mm) && mm is > 0 and <= FloodRiskApi.MaxMm
            ? new RainChoice(decimal.Round(mm, 1), null)
            : null;
    }

    /// <summary>The flood-risk API's query for it.</summary>
    public string Query => Day is { } d ? $"day={FloodRecurrence.Iso(d)}" : string.Create(CultureInfo.InvariantCulture, $"mm={Mm}");

    /// <summary>As the link writes it.</summary>
    public override string ToString() => Day is { } d ? FloodRecurrence.Iso(d) : Mm!.Value.ToString("0.#", CultureInfo.InvariantCulture);
}
