using Hotspots.Snapshots;

namespace Hotspots.Map;

/// <summary>The map's data: GeoJSON features, vector tiles and heat points, with the tile cells the snapshot keeps for them.</summary>
public static class MapSetup
{
    public static void AddMap(this WebApplicationBuilder builder)
    {
        builder.Services.AddSnapshotPart(HotspotCells.Part);
        // After the public read model (Public/, order 30): the public cells are made from it.
        builder.Services.AddSnapshotPart(HotspotCells.PublicPart);
    }

    public static void MapMap(this WebApplication app)
    {
        app.MapFeaturesApi();
        app.MapTilesApi();
        app.MapHeatApi();
        app.MapSymbolsApi();
    }
}
