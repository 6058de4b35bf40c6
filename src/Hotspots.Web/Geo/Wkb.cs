using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Hotspots.Geo;

/// <summary>
/// The one place where geometry crosses the Npgsql boundary (Npgsql.NetTopologySuite is not available here):
/// NTS → WKB bytes → ST_GeomFromWKB(@wkb, 4326), and ST_AsBinary → NTS on the way back.
/// </summary>
public static class Wkb
{
    private static readonly WKBWriter Writer = new(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false);

    public static byte[] Write(Geometry geometry) => Writer.Write(geometry);

    public static Geometry Read(byte[] bytes) => new WKBReader(GeoJsonGeometry.Factory.GeometryServices).Read(bytes);
}
