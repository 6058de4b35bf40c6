namespace Hotspots.Layers;

/// <summary>What one record of a layer is called, for titles composed where there is none of a person's own.</summary>
public static class LayerNouns
{
    private static readonly Dictionary<string, string> ByCategory = new(StringComparer.Ordinal)
    {
        ["flooding"] = "Điểm úng ngập", ["congestion"] = "Điểm ùn tắc giao thông", ["urban_order"] = "Vi phạm trật tự đô thị",
        ["environment"] = "Điểm ô nhiễm môi trường", ["food_safety"] = "Cơ sở thực phẩm",
    };

    /// <summary>"Điểm úng ngập" for flooding, …; null for a category that is not a hotspot layer.</summary>
    public static string? Of(string? category) => category is null ? null : ByCategory.GetValueOrDefault(category);
}
