namespace Hotspots.Basemap;

/// <summary>
/// The quiet base-map palette for printed maps — the same colours wwwroot/basemap.js gives the screen: streets and
/// water readable under coloured points, nothing that looks like a hotspot colour.
/// </summary>
public static class BaseLook
{
    public const string Background = "#f3f1ec", Water = "#aacbe3", WaterLine = "#8fb8d8", Text = "#4f4a40", WaterText = "#3d6f98";

    /// <summary>Fill, stroke and stroke width (screen px) of a printed base-map shape.</summary>
    public static (string Fill, string Stroke, string Width) Look(string style) => style switch
    {
        "water" => (Water, "none", "0"),
        "waterway" => ("none", WaterLine, "1.5"),
        "major" => ("none", "#e8b96a", "3.2"),
        "mid" => ("none", "#d4cec2", "2.2"),
        "rail" => ("none", "#b9b4ab", "1"),
        _ => ("none", "#d9d4ca", "1.2"),
    };
}
