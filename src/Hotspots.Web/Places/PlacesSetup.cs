namespace Hotspots.Places;

public static class PlacesSetup
{
    public static void AddPlaces(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PlaceSearch>();
        builder.Services.AddHostedService<PlaceIndexer>();
    }

    /// <summary>GET /api/places?q=: wards, key projects and the base map's streets, places and water by name.</summary>
    public static void MapPlaces(this WebApplication app) =>
        app.MapGet("/api/places", async (string? q, PlaceSearch search, CancellationToken ct) =>
            TypedResults.Ok(new { places = await search.SearchAsync(q ?? "", ct: ct) }))
            .WithName("SearchPlaces");
}
