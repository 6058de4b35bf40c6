using System.Text.Json.Serialization;

namespace Hotspots.Imports.Mapping;

[JsonConverter(typeof(JsonStringEnumConverter<Confidence>))]
public enum Confidence
{
    Low,
    Medium,
    High,
}

/// <summary>One field the layer understands, the column proposed for it (or none) and why, in both languages.</summary>
public sealed record FieldProposal(string Field, string LabelVi, string LabelEn, string? Column, Confidence Confidence, string ReasonVi, string ReasonEn);

/// <summary>
/// What the proposer makes of a file: its columns, a proposal per field, whether rows can be placed (coordinates,
/// a ward, or the file's own geometry), and what is missing for that. Field reports also need their words.
/// </summary>
public sealed record MappingProposal(IReadOnlyList<string> Columns, IReadOnlyList<FieldProposal> Fields, bool HasGeometry, bool Reports = false)
{
    /// <summary>{column: field} of every proposal at or above a confidence (the API applies Medium and up).</summary>
    public Dictionary<string, string> Mapping(Confidence atLeast = Confidence.Medium) =>
        Fields.Where(f => f.Column is not null && f.Confidence >= atLeast).ToDictionary(f => f.Column!, f => f.Field, StringComparer.Ordinal);

    public FieldProposal? Of(string field) => Fields.FirstOrDefault(f => f.Field == field);

    private bool Sure(string field) => Of(field) is { Column: not null, Confidence: Confidence.High };

    private bool Located => HasGeometry || (Sure("lat") && Sure("lon")) || (Sure("x") && Sure("y")) || Sure("ward") || Sure("ward_code");

    private bool Worded => !Reports || Sure("description") || Sure("title");

    /// <summary>
    /// Rows can be imported with no person choosing: placed with confidence (geometry in the file, or a coordinate
    /// pair, a ward name or a ward code found surely), and a field report's words found surely.
    /// </summary>
    public bool Placeable => Located && Worded;

    /// <summary>What stops the file from being imported without a person choosing: empty when <see cref="Placeable"/>.</summary>
    public IReadOnlyList<(string Vi, string En)> Missing
    {
        get
        {
            var missing = new List<(string Vi, string En)>();
            if (!Located)
            {
                missing.Add(("vị trí: cột vĩ độ và kinh độ, X và Y (VN-2000), tên hoặc mã phường, xã",
                    "a location: latitude and longitude columns, X and Y (VN-2000), or a ward's name or code"));
            }
            if (!Worded)
            {
                missing.Add(("nội dung phản ánh", "what was reported"));
            }
            return missing;
        }
    }
}
