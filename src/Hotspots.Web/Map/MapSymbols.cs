using Hotspots.Layers;
using Hotspots.Records;

namespace Hotspots.Map;

/// <summary>How a status draws a point's outline (the fill is the layer's colour): width, dashes, faded, grey.</summary>
public sealed record StatusStroke(double Weight, string? DashArray = null, double? FillOpacity = null, double? Opacity = null, bool Grey = false);

/// <summary>
/// The map's visual vocabulary in one place — colours per layer (LayerCatalog) and per project kind, outlines per
/// status, the overdue ring, the choropleth ramp — for the dashboard's map, the public embed, the printed maps and
/// the reports. The browser receives <see cref="ForBrowser"/> with the map's options; it keeps no copy.
/// </summary>
public static class MapSymbols
{
    /// <summary>Dashed = just reported, thin = verified, thick = in progress, faded = resolved, grey = rejected.</summary>
    public static readonly IReadOnlyDictionary<string, StatusStroke> StatusStrokes = new Dictionary<string, StatusStroke>
    {
        [HotspotStatus.Reported] = new(1.5, "3 2"),
        [HotspotStatus.Verified] = new(1),
        [HotspotStatus.InProgress] = new(3),
        [HotspotStatus.Resolved] = new(1, FillOpacity: 0.2, Opacity: 0.4),
        [HotspotStatus.Rejected] = new(1, FillOpacity: 0.25, Opacity: 0.4, Grey: true),
    };

    /// <summary>
    /// The ring around an overdue point: near-black and thin, so the layer's colour stays readable and no layer's
    /// fill (congestion is red) looks like it.
    /// </summary>
    public const string OverdueColor = "#1b1b1b";

    /// <summary>Symbols that stand for every layer in a legend (a status sample, a cluster).</summary>
    public const string NeutralColor = "#546e7a";

    /// <summary>Rejected records: fill and outline.</summary>
    public const string GreyFill = "#9e9e9e", GreyStroke = "#757575";

    /// <summary>Ward shading, low to high (ColorBrewer Oranges, 6 classes); a ward with no value is <see cref="NoValueColor"/>.</summary>
    public static readonly IReadOnlyList<string> Ramp = ["#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"];

    public const string NoValueColor = "#bdbdbd";

    /// <summary>A heatmap runs from these two to the layer's own colour.</summary>
    public const string HeatLow = "#ffffb2", HeatMiddle = "#fd8d3c";

    /// <summary>Ward outlines and their plain fill, and the chosen ward's outline.</summary>
    public const string WardStroke = "#37474f", WardFill = "#eceff1", ChosenWardStroke = "#0b3d62";

    /// <summary>
    /// A rain scenario's points: expected and flooded (dark red), expected (orange; hollow when a past day saw no flood
    /// there), flooded where nothing was expected (blue), under their threshold (grey); the gauges (teal).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RainColors = new Dictionary<string, string>
    {
        ["hit"] = "#b71c1c", ["expected"] = "#ef6c00", ["dry"] = "#ef6c00", ["unexpected"] = "#1565c0", ["quiet"] = "#78909c", ["gauge"] = "#00695c",
    };

    /// <summary>What the map module draws with, as JSON-ready data (made once: it is constants).</summary>
    public static object ForBrowser() => Browser;

    /// <summary>The same, serialised once for pages that carry it as text (the embed).</summary>
    public static string ForBrowserJson => BrowserJson.Value;

    private static readonly Lazy<string> BrowserJson = new(() => System.Text.Json.JsonSerializer.Serialize(Browser));

    private static readonly object Browser = new
    {
        layers = LayerCatalog.All.ToDictionary(l => l.Id, l => l.Color),
        projectKinds = ProjectKinds.All.ToDictionary(k => k.Id, k => k.Color),
        projectDashes = ProjectKinds.All.ToDictionary(k => k.Id, k => k.DashArray),
        otherProject = ProjectKinds.OtherColor,
        // In lifecycle order: the legend lists them so.
        statuses = HotspotStatus.All.Select(id => (Id: id, Stroke: StatusStrokes[id])).Select(s => new
        {
            id = s.Id, weight = s.Stroke.Weight, dashArray = s.Stroke.DashArray, fillOpacity = s.Stroke.FillOpacity, opacity = s.Stroke.Opacity, grey = s.Stroke.Grey,
        }),
        open = HotspotStatus.Open,
        overdue = OverdueColor,
        neutral = NeutralColor,
        greyFill = GreyFill,
        greyStroke = GreyStroke,
        ramp = Ramp,
        noValue = NoValueColor,
        heatLow = HeatLow,
        heatMiddle = HeatMiddle,
        wardStroke = WardStroke,
        wardFill = WardFill,
        chosenWardStroke = ChosenWardStroke,
        rain = RainColors,
    };

    public static void MapSymbolsApi(this IEndpointRouteBuilder app) =>
        // Colours and outlines only: nothing private, the same for everyone (the static overview page reads it).
        app.MapGet("/api/map/symbols", () => TypedResults.Ok(ForBrowser())).AllowAnonymous().WithName("GetMapSymbols");
}
