using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hotspots.Calendar;

/// <summary>A calendar quarter in Hanoi time (UTC+7, no daylight saving): the reporting unit of the ward plans.</summary>
[JsonConverter(typeof(QuarterJson))]
public readonly record struct Quarter(int Year, int Number)
{
    public DateOnly Start => new(Year, 3 * Number - 2, 1);
    public DateOnly EndExclusive => Start.AddMonths(3);
    public DateOnly LastDay => EndExclusive.AddDays(-1);
    // In UTC: Npgsql writes only offset-0 values to timestamptz.
    public DateTimeOffset StartInstant => HanoiTime.StartOf(Start);
    public DateTimeOffset EndInstant => HanoiTime.StartOf(EndExclusive);

    /// <summary>The plans ask for the report on the 10th of June, September and December (and March for the first quarter).</summary>
    public DateOnly DueDate => new(Year, 3 * Number, 10);

    public Quarter Previous => Number == 1 ? new(Year - 1, 4) : new(Year, Number - 1);

    public static Quarter Containing(DateTimeOffset instant)
    {
        var local = HanoiTime.Local(instant);
        return new(local.Year, (local.Month + 2) / 3);
    }

    /// <summary>"2026-Q3" (also "2026q3", "Q3-2026").</summary>
    public static bool TryParse(string? text, out Quarter quarter)
    {
        quarter = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var t = text.Trim().ToUpperInvariant();
        var parts = t.Split('-');
        if (parts.Length != 2)
        {
            return false;
        }
        var (y, q) = parts[0].StartsWith('Q') ? (parts[1], parts[0]) : (parts[0], parts[1]);
        if (q.Length == 2 && q[0] == 'Q' && q[1] is >= '1' and <= '4'
            && int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and <= 2100)
        {
            quarter = new(year, q[1] - '0');
            return true;
        }
        return false;
    }

    public override string ToString() => FormattableString.Invariant($"{Year}-Q{Number}");

    public string Label(bool english) => english
        ? FormattableString.Invariant($"Q{Number} {Year}")
        : $"Quý {new[] { "I", "II", "III", "IV" }[Number - 1]}/{Year.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>A quarter in JSON is its name, "2026-Q3".</summary>
public sealed class QuarterJson : JsonConverter<Quarter>
{
    public override Quarter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Quarter.TryParse(reader.GetString(), out var q) ? q : throw new JsonException("a quarter looks like 2026-Q3");

    public override void Write(Utf8JsonWriter writer, Quarter value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
