using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Hotspots.Geo;

/// <summary>
/// Reads an RFC 7946 geometry object into NetTopologySuite with NetTopologySuite.IO.GeoJSON4STJ, every geometry in
/// WGS 84 (SRID 4326). Whatever the reader refuses — an unknown type, a ring that does not close, a line of one
/// position — becomes a FormatException with the reader's reason, which an import reports on the row.
/// </summary>
public static class GeoJsonGeometry
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>System.Text.Json options that read and write NTS geometries and features as GeoJSON.</summary>
    public static readonly JsonSerializerOptions Options = new() { Converters = { new GeoJsonConverterFactory(Factory) } };

    public static Geometry Read(JsonElement geometry)
    {
        if (geometry.ValueKind != JsonValueKind.Object || !geometry.TryGetProperty("type", out _))
        {
            throw new FormatException("a geometry must be an object with a \"type\"");
        }
        try
        {
            return geometry.Deserialize<Geometry>(Options) is { IsEmpty: false } g ? g : throw new FormatException("the geometry is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException(e.Message, e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new FormatException(e.Message, e);
        }
    }
}
