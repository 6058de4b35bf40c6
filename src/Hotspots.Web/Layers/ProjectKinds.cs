namespace Hotspots.Layers;

/// <summary>A key project's kind: its names and the colour of its line or area.</summary>
public sealed record ProjectKind(string Id, string NameVi, string NameEn, string Color);

/// <summary>The kinds of key project (the CHECK on projects.kind holds the same ids), as the loader accepts and the maps draw them.</summary>
public static class ProjectKinds
{
    public static readonly IReadOnlyList<ProjectKind> All =
    [
        new("ring_road", "Đường Vành đai", "Ring road", "#6a3d9a"),
        new("boulevard", "Trục đại lộ cảnh quan", "Landscape boulevard", "#1f78b4"),
        new("metro", "Đường sắt đô thị", "Metro line", "#e7298a"),
        new("bridge", "Cầu qua sông Hồng", "Red River bridge", "#5d4037"),
        new("low_emission_zone", "Vùng phát thải thấp", "Low-emission zone", "#33a02c"),
        new("river", "Cải tạo sông nội đô", "Inner-river restoration", "#0570b0"),
        new("sports_city", "Khu đô thị thể thao Olympic", "Olympic sports city", "#ff7f00"),
    ];

    /// <summary>A project of no known kind.</summary>
    public const string OtherColor = "#555555";

    public static string ColorOf(string? kind) => All.FirstOrDefault(k => k.Id == kind)?.Color ?? OtherColor;
}
