using Hotspots.Calendar;
using System.Globalization;
using System.Text.Json;
using Hotspots.Layers;

namespace Hotspots.Records;

/// <summary>One of a record's own fields as the panel shows it: its name and its value in words.</summary>
public sealed record DetailLine(string Column, string Label, string Value);

/// <summary>
/// A record's layer fields (flood depth, a jam's cause, an inspection's result …) as lines for the panel, in the order
/// and with the names the import template uses (DetailFields), so a clerk sees back what the file said. Codes read as
/// words; a value that only repeats the record's kind is left out.
/// </summary>
public static class RecordDetails
{
    // People named in a category's fields (an inspected vendor's name and phone) never go out in bulk: the record
    // panel (HotspotRecords) shows them to those whose ward it is.
    /// <summary>
    /// SQL for hotspot <c>h</c>'s row of the layer's details table as JSON text, without the columns that name a person
    /// (contact name and phone): the one place details leave the database, for the API and the record panel.
    /// </summary>
    public static string JsonSql(Layer l) =>
        $"(SELECT (to_jsonb(d) - 'hotspot_id' - '{{contact_name,contact_phone}}'::text[])::text FROM {l.DetailsTable} d WHERE d.hotspot_id = h.id)";

    public static IReadOnlyList<DetailLine> Lines(string? category, string? json, string? subtype, bool english)
    {
        if (json is null || category is null || DetailFields.For(category) is not { } table)
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        var lines = new List<DetailLine>();
        foreach (var field in table.Fields)
        {
            if (!document.RootElement.TryGetProperty(field.Column, out var value) || value.ValueKind == JsonValueKind.Null
                || (value.ValueKind == JsonValueKind.String && value.GetString() == subtype))
            {
                continue;
            }
            var text = Words(field, value, english);
            if (!string.IsNullOrWhiteSpace(text))
            {
                lines.Add(new DetailLine(field.Column, english ? field.Header.En : field.Header.Vi, text));
            }
        }
        return lines;
    }

    private static string? Words(DetailFields.Field field, JsonElement value, bool english)
    {
        var culture = CultureInfo.GetCultureInfo(english ? "en" : "vi");
        return field.Kind switch
        {
            DetailFields.Kind.WholeNumber or DetailFields.Kind.Number => value.GetDouble().ToString("#,0.##", culture),
            DetailFields.Kind.Time => HanoiTime.Day(value.GetDateTimeOffset()),
            DetailFields.Kind.Date => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
            DetailFields.Kind.YesNo => value.GetBoolean() ? (english ? "Yes" : "Có") : (english ? "No" : "Không"),
            DetailFields.Kind.Choice => field.ChoiceOf(value.GetString()) is { } choice ? (english ? choice.En : choice.Vi) : value.GetString(),
            DetailFields.Kind.List => string.Join("; ", value.EnumerateArray().Select(item => item.GetString())),
            // Free text; an urban-order violation may hold a kind's code (when the file named none but the kind).
            // A known code (a drainage basin, a rain scenario) reads as its name.
            _ => field.ChoiceOf(value.GetString()) is { } known ? (english ? known.En : known.Vi)
                : SubtypeCatalog.Find(value.GetString()) is { } kind ? (english ? kind.NameEn : kind.NameVi) : value.GetString(),
        };
    }
}
