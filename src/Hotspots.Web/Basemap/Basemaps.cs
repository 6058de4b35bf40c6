using Hotspots.Hosting;
using Microsoft.Extensions.Options;

namespace Hotspots.Basemap;

/// <summary>What the maps draw under the data, as the browser receives it with the map's options.</summary>
/// <param name="Kind">"raster" (a tile URL), "vector" (this site's MBTiles file) or "default" (the product's own shapes).</param>
/// <param name="MaxDataZoom">For vector tiles: the deepest zoom the file holds; deeper views scale its tiles.</param>
public sealed record BasemapChoice(string Kind, string? Url, string Attribution, int MaxDataZoom);

/// <summary>
/// The base map chosen by configuration, once at start: HOTSPOTS_BASEMAP_URL (raster, wins), else HOTSPOTS_BASEMAP_FILE
/// (vector MBTiles served here), else the default — ward areas, names and the city outline drawn from the product's
/// own data, and the key projects as context.
/// </summary>
public sealed class Basemaps
{
    public BasemapChoice Choice { get; }
    public MbTiles? File { get; }

    /// <summary>A raster server's origin, which a printed page's content policy must let its images come from.</summary>
    public string? RasterOrigin => Choice.Kind == "raster" && Uri.TryCreate(Choice.Url?.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var u)
        ? u.GetLeftPart(UriPartial.Authority) : null;

    public Basemaps(IOptions<HotspotsOptions> options)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.BaseMapUrl))
        {
            Choice = new("raster", o.BaseMapUrl, o.BaseMapAttribution, 19);
        }
        else if (!string.IsNullOrWhiteSpace(o.BaseMapFile))
        {
            File = MbTiles.Open(Path.GetFullPath(o.BaseMapFile, HostingSetup.FindRepositoryRoot()));
            var attribution = string.IsNullOrWhiteSpace(o.BaseMapAttribution) ? File.Attribution : o.BaseMapAttribution;
            Choice = new("vector", Paths.BasemapPath + "/{z}/{x}/{y}.mvt", string.IsNullOrWhiteSpace(attribution) ? "© OpenStreetMap contributors (ODbL)" : attribution, File.MaxZoom);
        }
        else
        {
            Choice = new("default", null, "", 0);
        }
    }
}
