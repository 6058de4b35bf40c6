using Hotspots.Hosting;

namespace Hotspots.Basemap;

public static class BasemapSetup
{
    public static void AddBasemap(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Basemaps>();
        builder.Services.AddSingleton<PrintedBasemaps>();
    }

    /// <summary>GET /basemap/{z}/{x}/{y}.mvt: a tile of the configured MBTiles file, cacheable by anyone for a day.</summary>
    public static void MapBasemap(this WebApplication app) =>
        app.MapGet(Paths.BasemapPath + "/{z:int}/{x:int}/{y:int}.mvt", async (int z, int x, int y, Basemaps basemaps, HttpContext http, CancellationToken ct) =>
        {
            if (basemaps.File is not { } file)
            {
                return Results.NotFound();
            }
            if (z < 0 || z > 24 || x < 0 || y < 0 || x >= 1 << z || y >= 1 << z)
            {
                return Problems.BadParameter("z", "z/x/y is not a tile");
            }
            // The file changes only when an operator replaces it; its tiles may sit in any cache meanwhile.
            if (Http.ConditionalGet.NotModified(http, file.Version, "public, max-age=86400"))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
            if (await file.TileAsync(z, x, y, ct) is not { } tile)
            {
                return Results.NoContent(); // nothing there (sea, outside the extract): the renderer draws nothing
            }
            // Tiles are stored gzip-compressed by tilemaker and most tools: sent as they are, for the browser to inflate.
            if (tile is [0x1f, 0x8b, ..])
            {
                http.Response.Headers.ContentEncoding = "gzip";
            }
            return Results.Bytes(tile, "application/vnd.mapbox-vector-tile");
        }).AllowAnonymous().WithName("GetBasemapTile");
}
