namespace Hotspots.Map;

/// <summary>
/// What the map draws and where it looks: the layers, the filters as the map API's query string, the chosen
/// ward, the choropleth statistic, points or heat, and the position. The dashboard makes it from its URL state.
/// </summary>
public sealed record MapViewState(IReadOnlyList<string> Layers, string ApiFilter, string? Ward, string Stat, string View, double Lat, double Lon, int Zoom);
