namespace Hotspots.Layers;

/// <summary>A key project's kind: its names, and the colour and dashes of its line or outline.</summary>
/// <param name="DashArray">SVG dashes ("8 4"); null for a solid line.</param>
public sealed record ProjectKind(string Id, string NameVi, string NameEn, string Color, string? DashArray = null);

/// <summary>The kinds of key project (the CHECK on projects.kind holds the same ids), as the loader accepts and the maps draw them.</summary>
public static class ProjectKinds
{
    public static readonly IReadOnlyList<ProjectKind> All =
    [
        // Hues none of the five layers uses (they are blue, red, orange, green and brown), each with its own line.
        new("ring_road", "Đường Vành đai", "Ring road", "#6a3d9a"),
        new("boulevard", "Trục đại lộ cảnh quan", "Landscape boulevard", "#c51b7d", "12 4"),
        new("metro", "Đường sắt đô thị", "Metro line", "#ae017e", "8 3 2 3"),
        new("bridge", "Cầu qua sông Hồng", "Red River bridge", "#3f4a5a"),
        new("low_emission_zone", "Vùng phát thải thấp", "Low-emission zone", "#4d4d4d", "4 4"),
        new("river", "Cải tạo sông nội đô", "Inner-river restoration", "#01665e", "10 3"),
        new("sports_city", "Khu đô thị thể thao Olympic", "Olympic sports city", "#8c6d31", "2 4"),
    ];

    /// <summary>A project of no known kind.</summary>
    public const string OtherColor = "#555555";

    public static string ColorOf(string? kind) => All.FirstOrDefault(k => k.Id == kind)?.Color ?? OtherColor;
}
