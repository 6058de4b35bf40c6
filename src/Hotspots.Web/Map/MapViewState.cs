namespace Hotspots.Map;

/// <summary>
/// What the map draws and where it looks: the layers, the filters as the map API's query string, the chosen
/// ward, the choropleth statistic, points or heat, and the position. The dashboard makes it from its URL state.
/// </summary>
/// <param name="Project">The project whose panel is open (drawn highlighted).</param>
/// <param name="Hotspot">The record whose panel is open (ringed on the map).</param>
/// <param name="Rain">A rain scenario drawn over the map, as the flood-risk API's query ("mm=80", "day=2025-09-30").</param>
public sealed record MapViewState(IReadOnlyList<string> Layers, string ApiFilter, string? Ward, string Stat, string View, double Lat, double Lon, int Zoom,
    string? Project = null, long? Hotspot = null, string? Rain = null);
