namespace Hotspots.Layers;

/// <summary>A map layer: one of the five bottlenecks (backed by hotspots of one category) or the key projects.</summary>
public sealed record Layer(string Id, string? Category, string NameVi, string NameEn, string Color, string? DetailsTable);

public static class LayerCatalog
{
    public static readonly Layer Projects = new("projects", null, "Dự án trọng điểm", "Key projects", "#6a3d9a", null);

    public static readonly IReadOnlyList<Layer> All =
    [
        new("flooding", "flooding", "Úng ngập", "Flooding", "#1f78b4", "flooding_details"),
        new("congestion", "congestion", "Ùn tắc giao thông", "Traffic congestion", "#e31a1c", "congestion_details"),
        new("urban-order", "urban_order", "Trật tự đô thị", "Urban order", "#ff7f00", "urban_order_details"),
        new("environment", "environment", "Ô nhiễm môi trường", "Environmental pollution", "#33a02c", "environment_details"),
        new("food-safety", "food_safety", "An toàn thực phẩm", "Food safety", "#b15928", "food_safety_inspections"),
        Projects,
    ];

    public static Layer? Find(string id) => All.FirstOrDefault(l => l.Id == id);

    /// <summary>
    /// Not a map layer: what citizens and staff report (hotline lists, iHanoi exports), imported into the triage list
    /// rather than onto the map. Its rows may be of any of the five bottlenecks, or none.
    /// </summary>
    public static readonly Layer FieldReports = new("field-reports", null, "Phản ánh hiện trường", "Field reports", "#6b7280", null);

    /// <summary>Not a map layer either: the drainage gauges' daily rainfall (new files as they arrive; Imports/RainRows).</summary>
    public static readonly Layer Rainfall = new("rainfall", null, "Lượng mưa (trạm đo)", "Rainfall (gauges)", "#0284c7", null);

    /// <summary>What a file may be imported into: the five bottleneck layers, then field reports, then rainfall.</summary>
    public static readonly IReadOnlyList<Layer> Importable = [.. All.Where(l => l.Category is not null), FieldReports, Rainfall];

    public static Layer? FindImportable(string id) => Importable.FirstOrDefault(l => l.Id == id);

    /// <summary>The layer of a hotspot category ("urban_order" → urban-order).</summary>
    public static Layer? OfCategory(string category) => All.FirstOrDefault(l => l.Category == category);

    /// <summary>The five hotspot categories, in layer order.</summary>
    public static readonly IReadOnlyList<string> Categories = All.Where(l => l.Category is not null).Select(l => l.Category!).ToArray();

    public static string Known => string.Join(", ", All.Select(l => l.Id));
}
